"""URLs of the "Dân vận khéo" models (namespace "exemplars"), with their full paths:
mounted at the root by danvan/urls.py, so that the public gallery is exactly /mo-hinh/
(docs/CONTRACTS.md, section 4) and the staff pages live under /can-bo/mo-hinh/."""

from django.urls import path

from exemplars import views

app_name = "exemplars"

urlpatterns = [
    # Public pages.
    path("mo-hinh/", views.GalleryView.as_view(), name="gallery"),
    path("mo-hinh/<int:pk>/", views.PublicDetailView.as_view(), name="public_detail"),
    path("mo-hinh/anh/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    # Staff pages.
    path("can-bo/mo-hinh/", views.ExemplarListView.as_view(), name="list"),
    path("can-bo/mo-hinh/dang-ky/", views.ExemplarCreateView.as_view(), name="create"),
    path("can-bo/mo-hinh/<int:pk>/", views.ExemplarDetailView.as_view(), name="detail"),
    path("can-bo/mo-hinh/<int:pk>/sua/", views.ExemplarUpdateView.as_view(), name="update"),
    path(
        "can-bo/mo-hinh/<int:pk>/buoc/<slug:step>/",
        views.ExemplarStepView.as_view(),
        name="step",
    ),
    path("can-bo/mo-hinh/anh/<int:pk>/xoa/", views.PhotoDeleteView.as_view(), name="photo_delete"),
]
