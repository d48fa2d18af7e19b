"""Staff interface URLs (namespace "members"), mounted at /can-bo/."""

from django.urls import include, path

from members import views, views_carry_over, views_reorganise

app_name = "members"

urlpatterns = [
    path("", views.StaffHomeView.as_view(), name="home"),
    # Communes: the bloc, the teams, founding units.
    path("xa/<int:pk>/", views.CommuneDetailView.as_view(), name="commune_detail"),
    path("xa/<int:pk>/lap-khoi/", views.BlocCreateView.as_view(), name="bloc_create"),
    path("xa/<int:pk>/lap-to/", views.TeamCreateView.as_view(), name="team_create"),
    # Villages: merge, rename, move (members/views_reorganise.py).
    path(
        "xa/<int:pk>/sap-xep-thon/",
        views_reorganise.VillageReorganiseView.as_view(),
        name="village_reorganise",
    ),
    path(
        "thon/<int:pk>/doi-ten/",
        views_reorganise.VillageRenameView.as_view(),
        name="village_rename",
    ),
    path(
        "thon/<int:pk>/chuyen-xa/",
        views_reorganise.VillageMoveView.as_view(),
        name="village_move",
    ),
    # The 2025 carry-over wizard (members/views_carry_over.py).
    path("chuyen-dia-ban/", views_carry_over.CarryOverListView.as_view(), name="carry_over_list"),
    path(
        "chuyen-dia-ban/<str:code>/",
        views_carry_over.CarryOverPreviewView.as_view(),
        name="carry_over_preview",
    ),
    path(
        "chuyen-dia-ban/luot/<int:pk>/",
        views_carry_over.CarryOverBatchView.as_view(),
        name="carry_over_batch",
    ),
    path(
        "chuyen-dia-ban/luot/<int:pk>/hoan-tac/",
        views_carry_over.CarryOverUndoView.as_view(),
        name="carry_over_undo",
    ),
    # Units: the roster and its actions.
    path("don-vi/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("don-vi/<int:pk>/sua/", views.UnitUpdateView.as_view(), name="unit_update"),
    path("don-vi/<int:pk>/giai-the/", views.UnitDissolveView.as_view(), name="unit_dissolve"),
    path(
        "don-vi/<int:pk>/them-thanh-vien/",
        views.MembershipCreateView.as_view(),
        name="membership_create",
    ),
    # Memberships.
    path("thanh-vien/", views.MembershipListView.as_view(), name="membership_list"),
    path(
        "thanh-vien/<int:pk>/sua/", views.MembershipUpdateView.as_view(), name="membership_update"
    ),
    path("thanh-vien/<int:pk>/thoi/", views.MembershipEndView.as_view(), name="membership_end"),
    # People: history, merge, split.
    path("nguoi/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path(
        "nguoi/<int:pk>/du-lieu-ca-nhan/",
        views.PersonDataExportView.as_view(),
        name="person_data_export",
    ),
    path("nguoi/<int:pk>/gop/", views.PersonMergeView.as_view(), name="person_merge"),
    path("nguoi/<int:pk>/tach/", views.PersonSplitView.as_view(), name="person_split"),
    # Imports, exports and the roster template (members/urls_imports.py).
    path("", include("members.urls_imports")),
]
