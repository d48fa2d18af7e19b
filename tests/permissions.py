"""Who may open what: the declared access of every URL pattern, for every kind of actor.

``tests/test_permission_matrix.py`` walks the URL configuration (admin included) and checks
every pattern against this file; ``tests/test_security.py`` and ``tests/test_scope_doors.py``
reuse the world and the walk. A pattern without a declaration fails the suite ("declare the
access of ..."), and so does a declaration whose pattern is gone.

The actors: the public, a news editor (no roster role), the commune officer of commune A,
the officer of sibling commune B (same district), district staff of A's district,
provincial staff of A's province and of the other province, and a system administrator.
Object URLs are built with objects of commune A, so "outside" actors must get exactly what
a missing object gets: 404 on the staff pages, the admin's "does not exist" redirect there.

Outcomes: an HTTP status (200, 400, 403, 404, 405) or one of
    LOGIN     302 to a login page (the portal's or the admin's)
    GONE      the admin's answer for an object outside ``get_queryset``: 302 to the admin
              index with a "does not exist" warning (the same as for a deleted object)
    REDIRECT  any other 302

Each declaration has a GET and a POST row. POSTs carry an empty body (no CSRF token is
needed by the test client) and are rolled back, so an allowed POST may write; what matters
is who gets in. ``get_only(row)`` is the rule for pages that only read: whoever gets past
the access check gets 405.
"""

import copy
import csv
import dataclasses
import io
import re
from collections.abc import Callable
from urllib.parse import quote, urlencode, urlsplit

from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

LOGIN = "login"
GONE = "gone"
REDIRECT = "redirect"

ACTORS = (
    "anonymous",
    "news_editor",
    "officer_a",
    "officer_b",
    "district",
    "province",
    "other_province",
    "admin",
)
#: Actors whose area covers commune A, and roster staff whose area does not.
COVERING = ("officer_a", "district", "province", "admin")
OUTSIDE = ("officer_b", "other_province")
GROUPS = {
    "staff": tuple(a for a in ACTORS if a != "anonymous"),
    "roster": (*COVERING, *OUTSIDE),
    "covering": COVERING,
    "outside": OUTSIDE,
    "not_admin": tuple(a for a in ACTORS if a not in ("anonymous", "admin")),
}

#: Text of commune A's people, units and uploads that actors outside A must never read,
#: on any page, in any answer (lists, JSON, exports, redirects, error pages). Area names,
#: villages included, are public facts (the open statistics API lists them), so the
#: village is not one of them; the admin's scoping of areas is tested by its outcomes.
SECRET_NAME = "Lò Thị Mật Danh"
SECRET_PHONE = "0977111222"
SECRET_UNIT = "Khối dân vận Bí Danh"
SECRET_VILLAGE = "Thôn Ẩn Danh"
SECRET_FILE = "danh-sach-an-danh.csv"
#: A rating's return comment and an evidence file of commune A's bloc.
SECRET_COMMENT = "Ý kiến trả lại kín đáo"
SECRET_EVIDENCE = "bien-ban-an-danh.jpg"
#: The citizen who gave commune A's bloc an opinion (work app): staff of A only.
SECRET_CITIZEN = "Đinh Thị Kín Tiếng"
SECRET_CITIZEN_PHONE = "0988777666"
#: The person behind a "Dân vận khéo" model of commune A not (yet) recognised: named
#: publicly only once a decision recognises the model (exemplars app).
SECRET_EXEMPLAR_OWNER = "Ông Hoàng Văn Chưa Công Nhận"
SECRETS = (
    SECRET_NAME, SECRET_PHONE, SECRET_UNIT, SECRET_FILE, SECRET_COMMENT, SECRET_EVIDENCE,
    SECRET_CITIZEN, SECRET_CITIZEN_PHONE, SECRET_EXEMPLAR_OWNER,
)  # fmt: skip


def expect(default=None, **given) -> dict:
    """An outcome per actor: ``default`` for all, then groups (``staff``, ``roster``,
    ``covering``, ``outside``, ``not_admin``), then single actors."""
    unknown = set(given) - set(GROUPS) - set(ACTORS)
    assert not unknown, f"unknown actors or groups: {unknown}"
    row = dict.fromkeys(ACTORS, default)
    for key, value in given.items():
        if key in GROUPS:
            row.update(dict.fromkeys(GROUPS[key], value))
    for key, value in given.items():
        if key in ACTORS:
            row[key] = value
    assert None not in row.values(), f"an actor has no outcome: {row}"
    return row


def get_only(row: dict) -> dict:
    """A page that only reads: who is stopped stays stopped, everybody else gets 405."""
    return {a: o if o in (LOGIN, 403) else 405 for a, o in row.items()}


PUBLIC = expect(200)
ANY_LOGGED_IN = expect(200, anonymous=LOGIN)
STAFF_PAGE = expect(200, anonymous=LOGIN, news_editor=403)
IN_A = expect(200, anonymous=LOGIN, news_editor=403, outside=404)
#: Import jobs are their uploader's (and a system administrator's): an uploaded file holds
#: personal data of everyone in it, whatever the area of the staff asking.
OWN_JOB = expect(404, anonymous=LOGIN, news_editor=403, officer_a=200, admin=200)
ADMIN_INDEX = expect(200, anonymous=LOGIN)
NO_CARRY = expect(404, anonymous=LOGIN, news_editor=403)
SUPERUSER_ONLY = expect(403, anonymous=LOGIN, admin=200)


@dataclasses.dataclass(frozen=True)
class Access:
    """The declared outcomes of one URL pattern, and how to build its URL.

    ``kwargs(world)`` fills the pattern's arguments; ``path(world)`` gives the whole path
    for regex patterns; ``queries`` are query strings to try (each one is checked).
    """

    get: dict
    post: dict
    kwargs: Callable | None = None
    path: Callable | None = None
    queries: tuple = ({},)
    note: str = ""


def page(get: dict, post: dict | None = None, **kwargs) -> Access:
    return Access(get=get, post=get_only(get) if post is None else post, **kwargs)


def _pk(attr):
    return lambda w: {"pk": getattr(w, attr).pk}


def _account_a(w):
    return {"pk": w.users["officer_a"].pk}


#: Account management: provincial staff and system administrators (accounts.manage_accounts).
MANAGERS = expect(403, anonymous=LOGIN, province=200, other_province=200, admin=200)
ACCOUNT_OF_A = expect(403, anonymous=LOGIN, province=200, other_province=404, admin=200)

#: Ratings: the pages of a step some roles may not take ("evaluations.decide" for
#: district and provincial staff, "evaluations.reopen" and "evaluations.manage_criteria"
#: for provincial staff): the permission first (403), then the area (404).
IN_A_REDIRECT = expect(REDIRECT, anonymous=LOGIN, news_editor=403, outside=404)
DECIDERS = expect(200, anonymous=LOGIN, news_editor=403, officer_a=403, officer_b=403)
DECIDERS_IN_A = expect(
    200, anonymous=LOGIN, news_editor=403, officer_a=403, officer_b=403, other_province=404
)
REOPENERS_IN_A = expect(403, anonymous=LOGIN, province=200, other_province=404, admin=200)
CRITERIA_OF_A = expect(403, anonymous=LOGIN, province=200, other_province=404, admin=200)


#: Daily work: a POST that writes (rolled back) and goes back to a page.
OPINION_STEPS = (
    "opinion_update", "opinion_forward", "opinion_answer", "opinion_return", "opinion_close",
    "hot_spot_flag", "hot_spot_resolve",
)  # fmt: skip
IN_A_WRITE = expect(REDIRECT, anonymous=LOGIN, news_editor=403, outside=404)
SETTINGS_OF_LEGACY_A = expect(403, anonymous=LOGIN, province=404, other_province=404, admin=404)


def _unit_year(rating):
    return lambda w: {"unit_pk": w.bloc_a.pk, "year": getattr(w, rating).year}


#: The news desk: the news permissions (news editors and system administrators).
NEWS_DESK = expect(403, anonymous=LOGIN, news_editor=200, admin=200)


def _news_media(w) -> dict:
    """A resized copy of the world's news picture, under MEDIA_ROOT/news/."""
    return {"path": w.news_image.variants[0]["jpeg"].removeprefix("news/")}


def _draft_revision(w) -> dict:
    return {"pk": w.news_draft.pk, "history_id": w.news_draft.history.first().history_id}


# --- Declarations of the named, non-admin-model patterns --------------------------------

DECLARED: dict[str, Access] = {
    # Public pages: no login; no personal data (tests/test_security.py).
    "home": page(PUBLIC),
    "healthz": page(PUBLIC, PUBLIC, note="a plain function: any method"),
    "set_language": page(expect(REDIRECT), expect(REDIRECT)),
    "favicon": page(expect(REDIRECT), expect(405), note="GET and HEAD: a permanent redirect"),
    "choose_language": page(expect(REDIRECT), expect(405), note="GET only: the footer form"),
    "login": page(PUBLIC, PUBLIC),
    "logout": page(expect(405), expect(REDIRECT), note="POST only (Django 5)"),
    "password_change": page(ANY_LOGGED_IN, ANY_LOGGED_IN),
    "password_change_done": page(ANY_LOGGED_IN),
    "password_reset": page(PUBLIC, PUBLIC),
    "password_reset_done": page(PUBLIC),
    "password_reset_confirm": page(
        PUBLIC, PUBLIC, kwargs=lambda w: {"uidb64": "MQ", "token": "sai-ma"}
    ),
    "password_reset_complete": page(PUBLIC),
    # The open statistics API (reports/urls.py): public aggregates, GET only.
    "reports:stats_api": page(PUBLIC, expect(405)),
    "reports:stats_api_area": page(
        PUBLIC,
        expect(405),
        kwargs=lambda w: {"code": w.commune_a.code},
        queries=({}, {"edition": "legacy"}),
    ),
    "reports:api_schema": page(PUBLIC, expect(405)),
    # The public statistics pages: the API's aggregates for people, and their downloads.
    "reports:stats_page": page(PUBLIC, expect(405), queries=({}, {"format": "xlsx"})),
    "reports:stats_page_area": page(
        PUBLIC,
        expect(405),
        kwargs=lambda w: {"code": w.commune_a.code},
        queries=({}, {"edition": "legacy"}, {"format": "xlsx"}),
    ),
    # The staff dashboard and the lists behind its figures: roster roles, their own area
    # (the lists of units name A's bloc: never to actors outside A), GET only.
    "reports:dashboard": page(STAFF_PAGE, queries=({}, {"format": "xlsx"})),
    "reports:dashboard_list": page(
        STAFF_PAGE,
        kwargs=lambda w: {"kind": "don-vi"},
        queries=({}, {"format": "csv"}, {"format": "xlsx"}),
    ),
    # Periodic reports (reports/periodic/): roster roles; a report's pages exist for the
    # 2025 map only, and A is a legacy commune: 404 for everyone who gets in
    # (tests/reports/test_periodic_pages.py opens 2025 ones).
    "reports:periodic_list": page(STAFF_PAGE, queries=({}, {"period": "2025-Q4"})),
    "reports:periodic_edit": page(
        expect(404, anonymous=LOGIN, news_editor=403),
        expect(404, anonymous=LOGIN, news_editor=403),
        kwargs=lambda w: {"code": w.commune_a.code, "period": "2025-Q4"},
    ),
    "reports:periodic_download": page(
        expect(404, anonymous=LOGIN, news_editor=403),
        kwargs=lambda w: {"code": w.commune_a.code, "period": "2025-Q4", "fmt": "docx"},
    ),
    # --- The news (news/urls.py): public pages and feeds; the desk for news editors.
    "news:list": page(PUBLIC, expect(405), queries=({}, {"q": "lam duong"})),
    "news:category": page(PUBLIC, expect(405), kwargs=lambda w: {"slug": w.news_category.slug}),
    "news:detail": page(PUBLIC, expect(405), kwargs=lambda w: {"slug": w.news_article.slug}),
    # Feeds, the site map and the pictures are plain callables: any method.
    "news:rss": page(PUBLIC, PUBLIC),
    "news:atom": page(PUBLIC, PUBLIC),
    "news:category_rss": page(PUBLIC, PUBLIC, kwargs=lambda w: {"slug": w.news_category.slug}),
    "news:category_atom": page(PUBLIC, PUBLIC, kwargs=lambda w: {"slug": w.news_category.slug}),
    "news:media": page(PUBLIC, PUBLIC, kwargs=_news_media),
    "sitemap": page(PUBLIC, PUBLIC),
    "news:desk": page(NEWS_DESK),
    # Empty forms are refused (200, errors).
    "news:create": page(NEWS_DESK, NEWS_DESK),
    "news:edit": page(NEWS_DESK, NEWS_DESK, kwargs=_pk("news_draft")),
    "news:preview": page(NEWS_DESK, kwargs=_pk("news_draft")),
    "news:revisions": page(NEWS_DESK, kwargs=_pk("news_draft")),
    "news:revision": page(NEWS_DESK, kwargs=_draft_revision),
    # The editor's picture upload answers JSON: POST only (405 before anything else),
    # 403 without the news permissions (the public included), an empty upload 400.
    "news:image_upload": page(expect(405), expect(403, news_editor=400, admin=400)),
    # POST only; done or refused with a message, then back to the edit page.
    **{
        f"news:{action}": page(
            get_only(NEWS_DESK),
            expect(403, anonymous=LOGIN, news_editor=REDIRECT, admin=REDIRECT),
            kwargs=_pk("news_draft"),
        )
        for action in ("publish", "schedule", "unschedule", "archive")
    },
    # --- Documents (documents/urls.py): public list, document, file and feed; the staff
    # pages for those who keep the documents (news editors, system administrators).
    "documents:list": page(PUBLIC, expect(405), queries=({}, {"q": "huong dan", "year": "2008"})),
    "documents:rss": page(PUBLIC, PUBLIC),
    "documents:detail": page(PUBLIC, expect(405), kwargs=lambda w: {"key": w.document.slug}),
    "documents:file": page(
        PUBLIC,
        expect(405),
        kwargs=lambda w: {"key": w.document.slug, "pk": w.document_file.pk},
    ),
    "documents:desk": page(NEWS_DESK),
    # Empty forms are refused (200, errors).
    "documents:create": page(NEWS_DESK, NEWS_DESK),
    "documents:edit": page(NEWS_DESK, NEWS_DESK, kwargs=_pk("document_draft")),
    # POST only; done or refused with a message, then back to the document's page.
    "documents:file_add": page(
        get_only(NEWS_DESK),
        expect(403, anonymous=LOGIN, news_editor=REDIRECT, admin=REDIRECT),
        kwargs=_pk("document_draft"),
    ),
    "documents:file_remove": page(
        get_only(NEWS_DESK),
        expect(403, anonymous=LOGIN, news_editor=REDIRECT, admin=REDIRECT),
        kwargs=lambda w: {"pk": w.document_draft.pk, "attachment_pk": w.document_draft_file.pk},
    ),
    # Staff interface: roster roles only; objects of commune A.
    "members:home": page(STAFF_PAGE),
    "members:membership_list": page(STAFF_PAGE),
    "members:commune_detail": page(IN_A, kwargs=lambda w: {"pk": w.commune_a.pk}),
    # The bloc exists already: the empty POST is refused by the service (200, errors).
    "members:bloc_create": page(IN_A, IN_A, kwargs=lambda w: {"pk": w.commune_a.pk}),
    "members:team_create": page(IN_A, IN_A, kwargs=lambda w: {"pk": w.commune_a.pk}),
    "members:unit_detail": page(IN_A, kwargs=_pk("bloc_a")),
    # The carry-over wizard: provincial staff of the successor province and system
    # administrators; the world's legacy province has no successor, and no batch exists.
    "members:carry_over_list": page(STAFF_PAGE),
    "members:carry_over_preview": page(NO_CARRY, NO_CARRY, kwargs=lambda w: {"code": "06"}),
    "members:carry_over_batch": page(NO_CARRY, kwargs=lambda w: {"pk": 999999}),
    "members:carry_over_undo": page(
        expect(405, anonymous=LOGIN, news_editor=403), NO_CARRY, kwargs=lambda w: {"pk": 999999}
    ),
    # Village reorganisation: an empty POST is refused by the form (200, errors).
    "members:village_reorganise": page(IN_A, IN_A, kwargs=lambda w: {"pk": w.commune_a.pk}),
    "members:village_rename": page(IN_A, IN_A, kwargs=_pk("village_a")),
    "members:village_move": page(IN_A, IN_A, kwargs=_pk("village_a")),
    # Every field of a bloc's form is optional: an empty POST saves (and is rolled back).
    "members:unit_update": page(
        IN_A, expect(REDIRECT, anonymous=LOGIN, news_editor=403, outside=404), kwargs=_pk("bloc_a")
    ),
    "members:unit_dissolve": page(IN_A, IN_A, kwargs=_pk("bloc_a")),
    "members:membership_create": page(IN_A, IN_A, kwargs=_pk("bloc_a")),
    "members:membership_update": page(IN_A, IN_A, kwargs=_pk("membership_a")),
    "members:membership_end": page(IN_A, IN_A, kwargs=_pk("membership_a")),
    "members:person_detail": page(IN_A, kwargs=_pk("person_a")),
    "members:person_data_export": page(IN_A, kwargs=_pk("person_a")),
    "members:person_merge": page(IN_A, IN_A, kwargs=_pk("person_a")),
    "members:person_split": page(IN_A, IN_A, kwargs=_pk("person_a")),
    "members:import_upload": page(STAFF_PAGE, STAFF_PAGE),
    "members:import_job": page(OWN_JOB, kwargs=_pk("job_a")),
    "members:import_job_status": page(OWN_JOB, kwargs=_pk("job_a")),
    "members:import_job_confirm": page(
        expect(405, anonymous=LOGIN, news_editor=403),
        # The job has row errors: confirming is refused with a message, then back to it.
        expect(404, anonymous=LOGIN, news_editor=403, officer_a=REDIRECT, admin=REDIRECT),
        kwargs=_pk("job_a"),
    ),
    "members:import_job_report": page(OWN_JOB, kwargs=_pk("job_a")),
    # The export of the member list's filter: every roster role gets its own rows only.
    "members:roster_export": page(STAFF_PAGE, kwargs=lambda w: {"fmt": "csv"}),
    "members:roster_template": page(STAFF_PAGE),
    # The official village list: an empty POST is the form again, with its message.
    "members:village_list_upload": page(STAFF_PAGE, STAFF_PAGE),
    # --- Staff accounts (accounts/urls.py): managers only (provincial staff and
    # system administrators); the account opened is commune A's officer's, which the
    # other province's staff may not see (404), and nobody else may manage (403).
    "accounts:list": page(MANAGERS),
    # Every account's own security page (second factor); the login's code page, which
    # sends on whoever owes no code (nobody in the matrix has a device).
    "accounts:security": page(ANY_LOGGED_IN, ANY_LOGGED_IN),
    # --- Notifications (notifications/urls.py): every account its own, nobody else's
    # (a system administrator included): another's answers 404 like a missing one.
    "notifications:list": page(ANY_LOGGED_IN),
    "notifications:open": page(
        expect(404, anonymous=LOGIN, officer_a=REDIRECT), kwargs=_pk("notification_a")
    ),
    "notifications:mark_all_read": page(
        expect(405, anonymous=LOGIN), expect(REDIRECT, anonymous=LOGIN)
    ),
    "notifications:email_preference": page(
        expect(405, anonymous=LOGIN), expect(REDIRECT, anonymous=LOGIN)
    ),
    "accounts:otp_verify": page(
        expect(REDIRECT, anonymous=LOGIN), expect(REDIRECT, anonymous=LOGIN)
    ),
    "accounts:create": page(MANAGERS, MANAGERS),
    # The account is looked up before the method: a POST outside the area is a 404 too.
    "accounts:detail": page(
        ACCOUNT_OF_A,
        expect(403, anonymous=LOGIN, province=405, other_province=404, admin=405),
        kwargs=_account_a,
    ),
    "accounts:update": page(ACCOUNT_OF_A, ACCOUNT_OF_A, kwargs=_account_a),
    "accounts:deactivate": page(ACCOUNT_OF_A, ACCOUNT_OF_A, kwargs=_account_a),
    "accounts:reactivate": page(ACCOUNT_OF_A, ACCOUNT_OF_A, kwargs=_account_a),
    "accounts:password": page(ACCOUNT_OF_A, ACCOUNT_OF_A, kwargs=_account_a),
    # --- The audit trail (audit/urls.py): roster roles, each within their area.
    "audit:history": page(STAFF_PAGE),
    "audit:exports": page(STAFF_PAGE),
    "audit:object_history": page(IN_A, kwargs=lambda w: {"kind": "unit", "pk": w.bloc_a.pk}),
    # --- The daily work (work/urls.py): roster roles within their area; A's bloc, its
    # activity (with a photo) and its opinion (a new one, from a named citizen).
    "work:home": page(STAFF_PAGE),
    "work:activity_list": page(STAFF_PAGE, queries=({}, {"kind": "propaganda"})),
    "work:activity_export": page(STAFF_PAGE),
    # Empty forms are refused (200, errors).
    "work:activity_create": page(IN_A, IN_A, kwargs=_pk("bloc_a")),
    "work:activity_detail": page(IN_A, kwargs=_pk("activity_a")),
    "work:activity_update": page(IN_A, IN_A, kwargs=_pk("activity_a")),
    "work:activity_delete": page(IN_A, IN_A_WRITE, kwargs=_pk("activity_a")),
    "work:photo": page(IN_A, kwargs=_pk("photo_a")),
    "work:photo_delete": page(get_only(IN_A), IN_A_WRITE, kwargs=_pk("photo_a")),
    # An empty upload is an invalid form (400); no refused upload in the session: 404.
    "work:activity_import": page(STAFF_PAGE, expect(400, anonymous=LOGIN, news_editor=403)),
    "work:activity_import_errors": page(expect(404, anonymous=LOGIN, news_editor=403)),
    "work:activity_template": page(STAFF_PAGE),
    "work:opinion_list": page(STAFF_PAGE),
    "work:opinion_queue": page(STAFF_PAGE, kwargs=lambda w: {"queue": "qua-han"}),
    "work:opinion_create": page(IN_A, IN_A, kwargs=_pk("bloc_a")),
    "work:opinion_detail": page(IN_A, kwargs=_pk("opinion_a")),
    # A citizen's request: the form; an empty POST is refused with a message (200).
    "work:citizen_request": page(STAFF_PAGE, STAFF_PAGE),
    # Every step page of A's new opinion: the form (or why the step does not apply
    # yet), and an empty POST refused with errors (200).
    **{f"work:{step}": page(IN_A, IN_A, kwargs=_pk("opinion_a")) for step in OPINION_STEPS},
    # Erasing the citizen's contact details on their request: the confirmation, then a
    # POST that erases (rolled back) and goes back to the opinion.
    "work:opinion_contact_erase": page(IN_A, IN_A_WRITE, kwargs=_pk("opinion_a")),
    # Correcting them on their request: the form, and an empty POST refused (200).
    "work:opinion_contact_correct": page(IN_A, IN_A, kwargs=_pk("opinion_a")),
    "work:settings": page(STAFF_PAGE),
    # --- "Dân vận khéo" models (exemplars/urls.py): the public gallery and the pages of
    # recognised models; the registry's staff pages for roster roles within their area.
    # A's registered model (with a photo, not public yet) and a recognised one.
    "exemplars:gallery": page(PUBLIC, expect(405), queries=({}, {"field": "economy"})),
    "exemplars:public_detail": page(PUBLIC, expect(405), kwargs=_pk("exemplar_public")),
    # A photo of a model not recognised yet: staff of A only; the public's 404 is a
    # missing photo's (a plain View: a POST is 405 for everyone).
    "exemplars:photo": page(expect(404, covering=200), expect(405), kwargs=_pk("exemplar_photo_a")),
    "exemplars:list": page(STAFF_PAGE, queries=({}, {"status": "registered", "year": "2026"})),
    # Empty forms are refused (200, errors).
    "exemplars:create": page(STAFF_PAGE, STAFF_PAGE),
    "exemplars:detail": page(IN_A, kwargs=_pk("exemplar_a")),
    "exemplars:update": page(IN_A, IN_A, kwargs=_pk("exemplar_a")),
    "exemplars:step": page(
        IN_A, IN_A, kwargs=lambda w: {"pk": w.exemplar_a.pk, "step": "trien-khai"}
    ),
    "exemplars:photo_delete": page(get_only(IN_A), IN_A_WRITE, kwargs=_pk("exemplar_photo_a")),
    # The rule is set per 2025 province by its provincial staff and administrators
    # ("work.manage_settings", else 403); A's province is a legacy one: 404 for them
    # (tests/work/test_views.py sets a 2025 province's).
    "work:settings_update": page(
        SETTINGS_OF_LEGACY_A, SETTINGS_OF_LEGACY_A, kwargs=lambda w: {"pk": w.areas["province"].pk}
    ),
    # --- The admin site (not model pages) ---
    "admin:index": page(ADMIN_INDEX, ADMIN_INDEX),
    "admin:login": page(
        expect(REDIRECT, anonymous=200), PUBLIC, note="logged-in staff go on to the index"
    ),
    "admin:logout": page(
        expect(405, anonymous=REDIRECT),
        expect(REDIRECT),
        note="POST only; then LOGOUT_REDIRECT_URL. The public is sent to the index.",
    ),
    "admin:password_change": page(ANY_LOGGED_IN, ANY_LOGGED_IN),
    "admin:password_change_done": page(ANY_LOGGED_IN),
    # Autocomplete answers come from the remote model admin's get_queryset: scoped.
    "admin:autocomplete": page(
        STAFF_PAGE,
        expect(405, anonymous=LOGIN),
        queries=(
            {"app_label": "members", "model_name": "membership", "field_name": "unit"},
            {"app_label": "members", "model_name": "membership", "field_name": "person"},
            {"app_label": "units", "model_name": "unit", "field_name": "area"},
        ),
    ),
    "admin:jsi18n": page(ADMIN_INDEX),
    # Django's "view on site" shortcut: reverse() still names the admin's pattern, but
    # the scoped view of the same path (below) answers first.
    "admin:view_on_site": page(
        expect(REDIRECT, anonymous=LOGIN, news_editor=404, officer_b=404, other_province=404),
        expect(REDIRECT, anonymous=LOGIN, news_editor=404, officer_b=404, other_province=404),
        kwargs=lambda w: {
            "content_type_id": ContentType.objects.get_for_model(w.bloc_a).pk,
            "object_id": w.bloc_a.pk,
        },
    ),
    "admin_view_on_site": page(
        expect(REDIRECT, anonymous=LOGIN, news_editor=404, officer_b=404, other_province=404),
        expect(REDIRECT, anonymous=LOGIN, news_editor=404, officer_b=404, other_province=404),
        kwargs=lambda w: {
            "content_type_id": ContentType.objects.get_for_model(w.bloc_a).pk,
            "object_id": w.bloc_a.pk,
        },
    ),
    "admin:app_list": page(
        expect(200, anonymous=LOGIN, news_editor=404),
        expect(200, anonymous=LOGIN, news_editor=404),
        kwargs=lambda w: {"app_label": "members"},
    ),
    "admin/(?P<url>.*)$": page(
        expect(404, anonymous=LOGIN),
        expect(404, anonymous=LOGIN),
        path=lambda w: "/admin/khong-co-trang-nay/",
        note="the admin's catch-all",
    ),
    # The admin door of the roster import (MembershipAdmin.get_urls): same views, same
    # access as the staff door, behind the "add membership" permission.
    "admin:members_membership_import": page(STAFF_PAGE, STAFF_PAGE),
    "admin:members_membership_import_job": page(OWN_JOB, kwargs=_pk("job_a")),
    "admin:members_membership_import_status": page(OWN_JOB, kwargs=_pk("job_a")),
    "admin:members_membership_import_confirm": page(
        expect(405, anonymous=LOGIN, news_editor=403),
        expect(404, anonymous=LOGIN, news_editor=403, officer_a=REDIRECT, admin=REDIRECT),
        kwargs=_pk("job_a"),
    ),
    "admin:members_membership_import_report": page(OWN_JOB, kwargs=_pk("job_a")),
    # --- Ratings (evaluations/urls.py). Each step has its permission (the roles' groups,
    # evaluations/apps.py): commune officers assess and propose, district and provincial
    # staff also decide, provincial staff alone reopen and manage criteria. The
    # permission is checked first (403), then the area (404). The ratings opened are of
    # commune A's bloc, each at the stage its page is about (``build_world``).
    "evaluations:overview": page(STAFF_PAGE),
    # Score sheets in Excel: the page; a download without parameters is an invalid form
    # (400), one for an area outside the user's scope 404 (tests/evaluations/
    # test_sheets.py); an empty upload is an invalid form; no error report in the session.
    "evaluations:sheet_upload": page(STAFF_PAGE, expect(400, anonymous=LOGIN, news_editor=403)),
    "evaluations:sheet_download": page(expect(400, anonymous=LOGIN, news_editor=403)),
    "evaluations:sheet_errors": page(expect(404, anonymous=LOGIN, news_editor=403)),
    "evaluations:criteria_list": page(STAFF_PAGE),
    "evaluations:decision_list": page(DECIDERS),
    "evaluations:bulk_approve": page(
        expect(REDIRECT, anonymous=LOGIN, news_editor=403, officer_a=403, officer_b=403),
        # Nothing ticked: the confirmation page says so, nothing is approved.
        DECIDERS,
    ),
    "evaluations:unit_rating": page(IN_A_REDIRECT, kwargs=lambda w: {"unit_pk": w.bloc_a.pk}),
    # The bloc's self-assessment of the year, a draft: an empty POST saves the draft.
    "evaluations:sheet": page(IN_A, IN_A_REDIRECT, kwargs=_unit_year("rating_self")),
    # POST only: opens (or finds) the sheet, then back to it.
    "evaluations:start": page(
        get_only(IN_A_REDIRECT), IN_A_REDIRECT, kwargs=_unit_year("rating_self")
    ),
    # The commune's proposal, a draft: an empty POST saves the draft.
    "evaluations:proposal": page(IN_A, IN_A_REDIRECT, kwargs=_pk("rating_proposal")),
    # A rating waiting for a decision; the empty adjustment is refused (200, errors).
    "evaluations:decision": page(DECIDERS_IN_A, DECIDERS_IN_A, kwargs=_pk("rating_decision")),
    "evaluations:approve": page(
        get_only(DECIDERS_IN_A),
        expect(
            REDIRECT,
            anonymous=LOGIN,
            news_editor=403,
            officer_a=403,
            officer_b=403,
            other_province=404,
        ),
        kwargs=_pk("rating_decision"),
    ),
    # Returning is the commune's (a proposal) or the deciders' (a decision) step: the
    # page is the area's, the service checks the step's permission; no comment: 200.
    "evaluations:return": page(IN_A, IN_A, kwargs=_pk("rating_decision")),
    "evaluations:not_rated": page(DECIDERS_IN_A, DECIDERS_IN_A, kwargs=_pk("rating_decision")),
    "evaluations:reopen": page(REOPENERS_IN_A, REOPENERS_IN_A, kwargs=_pk("rating_decided")),
    "evaluations:evidence": page(IN_A, kwargs=_pk("evidence_a")),
    # A rating's history per step: read by whoever may read the rating.
    "evaluations:history": page(IN_A, kwargs=_pk("rating_decision")),
    # Nothing chosen: a message, back to the list.
    "evaluations:member_ratings": page(IN_A, IN_A_REDIRECT, kwargs=_unit_year("rating_self")),
    # One member's rating (A's member, waiting for the commune's proposal): its page reads
    # only; the reason-steps answer like a unit's (no reason: 200 with the error).
    "evaluations:member_rating": page(IN_A, kwargs=_pk("member_rating_a")),
    "evaluations:member_return": page(IN_A, IN_A, kwargs=_pk("member_rating_a")),
    "evaluations:member_not_rated": page(
        DECIDERS_IN_A, DECIDERS_IN_A, kwargs=_pk("member_rating_a")
    ),
    "evaluations:member_reopen": page(
        REOPENERS_IN_A, REOPENERS_IN_A, kwargs=_pk("member_rating_a")
    ),
    # Criteria are the province's: read by everyone working under it (the sibling
    # commune's officer included), managed by its provincial staff.
    "evaluations:criteria_detail": page(
        expect(200, anonymous=LOGIN, news_editor=403, other_province=404),
        kwargs=_pk("criteria_a"),
    ),
    # An empty set is refused by the form (200, errors).
    "evaluations:criteria_create": page(MANAGERS, MANAGERS),
    # Approval chains: provincial staff of one province go straight to its page.
    "evaluations:chain_list": page(
        expect(403, anonymous=LOGIN, province=REDIRECT, other_province=REDIRECT, admin=200)
    ),
    # A POST naming no kind of unit shows the page again, nothing changed.
    "evaluations:chains": page(
        CRITERIA_OF_A, CRITERIA_OF_A, kwargs=lambda w: {"pk": w.areas["province"].pk}
    ),
    "evaluations:criteria_update": page(
        CRITERIA_OF_A, CRITERIA_OF_A, kwargs=_pk("criteria_draft_a")
    ),
    # The confirmation page; a POST without the confirmation shows it again (200):
    # issuing cannot be undone once the set is used.
    "evaluations:criteria_issue": page(
        CRITERIA_OF_A, CRITERIA_OF_A, kwargs=_pk("criteria_draft_a")
    ),
    "evaluations:criteria_copy": page(CRITERIA_OF_A, CRITERIA_OF_A, kwargs=_pk("criteria_a")),
    # The rating round (dates only, a used set too): POST only, back to the set's page.
    "evaluations:criteria_round": page(
        get_only(CRITERIA_OF_A),
        expect(403, anonymous=LOGIN, province=REDIRECT, other_province=404, admin=REDIRECT),
        kwargs=_pk("criteria_a"),
    ),
    "evaluations:criteria_new_version": page(
        get_only(CRITERIA_OF_A),
        expect(403, anonymous=LOGIN, province=REDIRECT, other_province=404, admin=REDIRECT),
        kwargs=_pk("criteria_a"),
    ),
}


# --- The admin's model pages: one declaration per registered model ----------------------

ADMIN_FAMILIES = ("changelist", "add", "change", "delete", "history", "object")


#: The unnamed ``<id>/`` URL: Django's redirect to the change page, for any staff user.
_OBJECT_REDIRECT = page(expect(REDIRECT, anonymous=LOGIN), expect(REDIRECT, anonymous=LOGIN))


@dataclasses.dataclass(frozen=True)
class AdminAccess:
    """The declared access of one registered model's admin pages.

    ``obj(world)`` is the object of commune A whose pages are opened (None: an id that
    does not exist). ``object`` is the unnamed ``<id>/`` URL, which redirects to the change
    page for any staff user. ``extra`` declares the model's other patterns (the user
    admin's password page), by URL name.
    """

    obj: Callable | None
    changelist: Access
    add: Access
    change: Access
    delete: Access
    history: Access
    object: Access = _OBJECT_REDIRECT
    extra: dict = dataclasses.field(default_factory=dict)


#: Roster models that roster roles view, add and change in their area, never delete
#: (units are dissolved, seats ended, duplicates merged). Outside the area: GONE.
_SCOPED_CHANGE = page(
    expect(200, anonymous=LOGIN, news_editor=403, outside=GONE),
    expect(200, anonymous=LOGIN, news_editor=403, outside=GONE),
)
_SCOPED_HISTORY = page(
    # get_object() first: without the object in get_queryset, "does not exist" (also for
    # the news editor, whose queryset is empty), never the object's history.
    expect(200, anonymous=LOGIN, news_editor=GONE, outside=GONE),
    expect(200, anonymous=LOGIN, news_editor=GONE, outside=GONE),
)
_NO_DELETE = page(expect(403, anonymous=LOGIN), expect(403, anonymous=LOGIN))


def _superuser_model(obj=None, *, add=True, write=True, extra=None) -> AdminAccess:
    """A model only system administrators see in the admin; ``add``: they may add rows
    there, ``write``: change and delete them. Without ``obj`` the pages are opened with an
    id that does not exist: "does not exist" for the administrator, and for everybody on
    the history page, which looks the object up before checking the permission."""
    found = 200 if obj is not None else GONE
    written = found if write else 403
    return AdminAccess(
        obj=obj,
        changelist=page(SUPERUSER_ONLY, SUPERUSER_ONLY),
        add=page(
            expect(403, anonymous=LOGIN, admin=200 if add else 403),
            expect(403, anonymous=LOGIN, admin=200 if add else 403),
        ),
        change=page(
            expect(403, anonymous=LOGIN, admin=found), expect(403, anonymous=LOGIN, admin=written)
        ),
        delete=page(
            expect(403, anonymous=LOGIN, admin=written),
            expect(403, anonymous=LOGIN, admin=written),
        ),
        history=page(
            expect(403 if obj is not None else GONE, anonymous=LOGIN, admin=found),
            expect(403 if obj is not None else GONE, anonymous=LOGIN, admin=found),
        ),
        extra=extra or {},
    )


ADMIN_MODELS: dict[str, AdminAccess] = {
    # Areas are read-only for roster roles and limited to their area (a village is a
    # commune's own list); only system administrators add, change and delete them.
    "units.area": AdminAccess(
        obj=lambda w: w.village_a,
        changelist=page(STAFF_PAGE, STAFF_PAGE),
        add=page(SUPERUSER_ONLY, SUPERUSER_ONLY),
        change=page(
            expect(200, anonymous=LOGIN, news_editor=403, outside=GONE),
            # View permission only: a POST needs the change permission.
            expect(403, anonymous=LOGIN, admin=200),
        ),
        delete=page(
            expect(403, anonymous=LOGIN, admin=200), expect(403, anonymous=LOGIN, admin=200)
        ),
        history=_SCOPED_HISTORY,
    ),
    "units.unit": AdminAccess(
        obj=lambda w: w.bloc_a,
        changelist=page(STAFF_PAGE, STAFF_PAGE),
        add=page(STAFF_PAGE, STAFF_PAGE),
        change=_SCOPED_CHANGE,
        delete=_NO_DELETE,
        history=_SCOPED_HISTORY,
    ),
    "members.person": AdminAccess(
        obj=lambda w: w.person_a,
        changelist=page(STAFF_PAGE, STAFF_PAGE),
        add=page(STAFF_PAGE, STAFF_PAGE),
        change=_SCOPED_CHANGE,
        delete=_NO_DELETE,
        history=_SCOPED_HISTORY,
    ),
    "members.membership": AdminAccess(
        obj=lambda w: w.membership_a,
        changelist=page(STAFF_PAGE, STAFF_PAGE),
        add=page(STAFF_PAGE, STAFF_PAGE),
        change=_SCOPED_CHANGE,
        delete=_NO_DELETE,
        history=_SCOPED_HISTORY,
    ),
    # Import jobs: read-only, the uploader's own (all of them for a system administrator,
    # who alone may delete old uploads).
    "members.importjob": AdminAccess(
        obj=lambda w: w.job_a,
        changelist=page(STAFF_PAGE, STAFF_PAGE),
        add=page(expect(403, anonymous=LOGIN), expect(403, anonymous=LOGIN)),
        change=page(
            expect(GONE, anonymous=LOGIN, news_editor=403, officer_a=200, admin=200),
            expect(403, anonymous=LOGIN),
        ),
        delete=page(
            expect(403, anonymous=LOGIN, admin=200), expect(403, anonymous=LOGIN, admin=200)
        ),
        history=page(
            expect(GONE, anonymous=LOGIN, officer_a=200, admin=200),
            expect(GONE, anonymous=LOGIN, officer_a=200, admin=200),
        ),
    ),
    # Criteria sets: read by everyone working under the province (the sibling commune's
    # officer included), added and changed (through the services) by provincial staff of
    # the province, never deleted (a set is replaced by a new version).
    "evaluations.criteriaset": AdminAccess(
        obj=lambda w: w.criteria_a,
        changelist=page(STAFF_PAGE, STAFF_PAGE),
        # An empty form is refused (200, errors).
        add=page(MANAGERS, MANAGERS),
        change=page(
            expect(200, anonymous=LOGIN, news_editor=403, other_province=GONE),
            # The change permission is checked before the object is looked up.
            expect(403, anonymous=LOGIN, province=200, other_province=GONE, admin=200),
        ),
        delete=_NO_DELETE,
        history=page(
            expect(200, anonymous=LOGIN, news_editor=GONE, other_province=GONE),
            expect(200, anonymous=LOGIN, news_editor=GONE, other_province=GONE),
        ),
    ),
    # Criteria groups: read-only, hidden from the index, edited with their set on the
    # staff page. No role holds "view_criteriagroup": system administrators only; the
    # history looks the object up first (scoped like the sets).
    "evaluations.criteriagroup": AdminAccess(
        obj=lambda w: w.criteria_a.groups.order_by("pk").first(),
        changelist=page(SUPERUSER_ONLY, SUPERUSER_ONLY),
        add=page(expect(403, anonymous=LOGIN), expect(403, anonymous=LOGIN)),
        change=page(SUPERUSER_ONLY, expect(403, anonymous=LOGIN)),
        delete=page(expect(403, anonymous=LOGIN), expect(403, anonymous=LOGIN)),
        history=page(
            expect(403, anonymous=LOGIN, news_editor=GONE, other_province=GONE, admin=200),
            expect(403, anonymous=LOGIN, news_editor=GONE, other_province=GONE, admin=200),
        ),
    ),
    # Approval chains: read-only, for whoever sets them (provincial staff, system
    # administrators), scoped to the provinces of the area; set on the staff page.
    "evaluations.approvalchain": AdminAccess(
        obj=lambda w: w.chain_a,
        changelist=page(MANAGERS, MANAGERS),
        add=page(expect(403, anonymous=LOGIN), expect(403, anonymous=LOGIN)),
        change=page(
            expect(403, anonymous=LOGIN, province=200, other_province=GONE, admin=200),
            expect(403, anonymous=LOGIN),
        ),
        delete=_NO_DELETE,
        history=page(
            expect(GONE, anonymous=LOGIN, province=200, admin=200),
            expect(GONE, anonymous=LOGIN, province=200, admin=200),
        ),
    ),
    # Unit and member ratings: read-only (every step is taken on the staff pages,
    # through the services), scoped to the area like the roster.
    "evaluations.evaluation": AdminAccess(
        obj=lambda w: w.rating_decision,
        changelist=page(STAFF_PAGE, STAFF_PAGE),
        add=page(expect(403, anonymous=LOGIN), expect(403, anonymous=LOGIN)),
        change=page(
            expect(200, anonymous=LOGIN, news_editor=403, outside=GONE),
            expect(403, anonymous=LOGIN),
        ),
        delete=_NO_DELETE,
        history=_SCOPED_HISTORY,
    ),
    "evaluations.memberrating": AdminAccess(
        obj=lambda w: w.member_rating_a,
        changelist=page(STAFF_PAGE, STAFF_PAGE),
        add=page(expect(403, anonymous=LOGIN), expect(403, anonymous=LOGIN)),
        change=page(
            expect(200, anonymous=LOGIN, news_editor=403, outside=GONE),
            expect(403, anonymous=LOGIN),
        ),
        delete=_NO_DELETE,
        history=_SCOPED_HISTORY,
    ),
    # The daily work: activities and opinions are read-only here, scoped like the staff
    # pages (recorded and followed there, through the services); never deleted.
    **{
        label: AdminAccess(
            obj=obj,
            changelist=page(STAFF_PAGE, STAFF_PAGE),
            add=page(expect(403, anonymous=LOGIN), expect(403, anonymous=LOGIN)),
            change=page(
                expect(200, anonymous=LOGIN, news_editor=403, outside=GONE),
                expect(403, anonymous=LOGIN),
            ),
            delete=_NO_DELETE,
            history=_SCOPED_HISTORY,
        )
        for label, obj in (
            ("work.activity", lambda w: w.activity_a),
            ("work.opinion", lambda w: w.opinion_a),
            ("exemplars.exemplar", lambda w: w.exemplar_a),
        )
    },
    # The provinces' days to answer: read by roster roles, set (through the service) by
    # provincial staff and administrators. No row in the legacy world: an id that does
    # not exist.
    "work.provinceworksettings": AdminAccess(
        obj=None,
        changelist=page(STAFF_PAGE, STAFF_PAGE),
        add=page(MANAGERS, MANAGERS),
        change=page(
            expect(GONE, anonymous=LOGIN, news_editor=403),
            expect(403, anonymous=LOGIN, province=GONE, other_province=GONE, admin=GONE),
        ),
        delete=_NO_DELETE,
        history=page(expect(GONE, anonymous=LOGIN), expect(GONE, anonymous=LOGIN)),
    ),
    # The news: news editors and system administrators; articles and categories are
    # written through the services and never deleted; pictures are only looked at.
    "news.article": AdminAccess(
        obj=lambda w: w.news_draft,
        changelist=page(NEWS_DESK, NEWS_DESK),
        add=page(NEWS_DESK, NEWS_DESK),
        change=page(NEWS_DESK, NEWS_DESK),
        delete=_NO_DELETE,
        history=page(NEWS_DESK, NEWS_DESK),
    ),
    "news.category": AdminAccess(
        obj=lambda w: w.news_category,
        changelist=page(NEWS_DESK, NEWS_DESK),
        add=page(NEWS_DESK, NEWS_DESK),
        change=page(NEWS_DESK, NEWS_DESK),
        delete=_NO_DELETE,
        history=page(NEWS_DESK, NEWS_DESK),
    ),
    "news.image": AdminAccess(
        obj=lambda w: w.news_image,
        changelist=page(NEWS_DESK, NEWS_DESK),
        add=page(expect(403, anonymous=LOGIN), expect(403, anonymous=LOGIN)),
        change=page(NEWS_DESK, expect(403, anonymous=LOGIN)),
        delete=_NO_DELETE,
        history=page(NEWS_DESK, NEWS_DESK),
    ),
    # Documents: news editors and system administrators, through the services; never
    # deleted (a replaced document stays, linked to its replacement).
    "documents.document": AdminAccess(
        obj=lambda w: w.document_draft,
        changelist=page(NEWS_DESK, NEWS_DESK),
        add=page(NEWS_DESK, NEWS_DESK),
        change=page(NEWS_DESK, NEWS_DESK),
        delete=_NO_DELETE,
        history=page(NEWS_DESK, NEWS_DESK),
    ),
    # Django's accounts and groups: system administrators only (staff accounts are
    # managed on the staff pages, within one's own area).
    "auth.user": _superuser_model(
        lambda w: w.users["officer_a"],
        extra={
            "admin:auth_user_password_change": page(
                SUPERUSER_ONLY, SUPERUSER_ONLY, kwargs=lambda w: {"id": w.users["officer_a"].pk}
            )
        },
    ),
    "auth.group": _superuser_model(lambda w: Group.objects.order_by("pk").first()),
    # Third-party tables, system administrators only; no row exists in the test world.
    # Task results are read-only; login attempts and logs may be deleted (unlocking).
    "django_tasks_database.dbtaskresult": _superuser_model(add=False, write=False),
    "axes.accessattempt": _superuser_model(add=False),
    "axes.accesslog": _superuser_model(add=False),
    "axes.accessfailurelog": _superuser_model(add=False),
    # Second-factor devices (django-otp): an administrator deletes a lost phone's; the
    # key and QR code pages are off for everybody (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    "otp_totp.totpdevice": _superuser_model(
        extra={
            f"admin:otp_totp_totpdevice_{view}": page(
                expect(403, anonymous=LOGIN),
                expect(403, anonymous=LOGIN),
                kwargs=lambda w: {"pk": 0},
            )
            for view in ("config", "qrcode")
        },
    ),
}


# --- The walk ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Pattern:
    """One URL pattern of the configuration: its key ("namespace:name", or the route for
    unnamed ones), its full route and its callback."""

    key: str
    route: str
    name: str | None
    pattern: URLPattern


def walk_urls(resolver=None, prefix: str = "", namespaces: tuple = ()) -> list[Pattern]:
    """Every URL pattern reachable from the root URL configuration, includes and the
    admin included."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            found += walk_urls(entry, route, inner)
        else:
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            found.append(Pattern(key=name or route, route=route, name=name, pattern=entry))
    return found


_ADMIN_FAMILY = re.compile(
    r"^admin:(?P<model>\w+?)_(?P<family>changelist|add|change|delete|history)$"
)
_ADMIN_OBJECT = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/<path:object_id>/$")


def admin_models() -> dict[str, str]:
    """ "app_model" (as in URL names) -> "app.model" (as declared) of every model
    registered in the admin."""
    return {
        f"{m._meta.app_label}_{m._meta.model_name}": m._meta.label_lower
        for m in admin.site._registry
    }


@dataclasses.dataclass(frozen=True)
class Check:
    """One URL to request, with its declared outcomes."""

    key: str
    label: str
    url: str
    access: Access
    obj_label: str | None = None


def resolve_declaration(
    p: Pattern, models: dict[str, str]
) -> tuple[str | None, Access | None, str]:
    """(admin model label, the declaration of pattern ``p``, or None, a description)."""
    if p.key in DECLARED:
        return None, DECLARED[p.key], p.key
    match = _ADMIN_FAMILY.match(p.key)
    if match and match["model"] in models:
        label = models[match["model"]]
        declared = ADMIN_MODELS.get(label)
        return label, getattr(declared, match["family"]) if declared else None, p.key
    match = _ADMIN_OBJECT.match(p.key)
    if match and f"{match['app']}_{match['model']}" in models:
        label = models[f"{match['app']}_{match['model']}"]
        declared = ADMIN_MODELS.get(label)
        return label, declared.object if declared else None, p.key
    for declared in ADMIN_MODELS.values():
        if p.key in declared.extra:
            return None, declared.extra[p.key], p.key
    return None, None, p.key


def declaration_problems(patterns: list[Pattern]) -> list[str]:
    """Patterns without a declaration, declarations without a pattern."""
    models = admin_models()
    problems = []
    for p in patterns:
        _label, access, _ = resolve_declaration(p, models)
        if access is None:
            problems.append(f"declare the access of {p.key!r} (/{p.route}) in tests/permissions.py")
    keys = {p.key for p in patterns}
    for key in DECLARED:
        if key not in keys:
            problems.append(f"the declaration of {key!r} matches no URL pattern: remove it")
    for label, declared in ADMIN_MODELS.items():
        if label not in models.values():
            problems.append(f"the admin declaration of {label!r} matches no registered model")
        for key in declared.extra:
            if key not in keys:
                problems.append(f"the declaration of {key!r} matches no URL pattern: remove it")
    return problems


_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def _fill(route: str, kwargs: dict) -> str:
    """An unnamed pattern's route with its arguments in place."""
    return _CONVERTER.sub(lambda m: quote(str(kwargs[m[1]])), route)


def build_checks(world, patterns: list[Pattern]) -> list[Check]:
    """The URL of every declared pattern, built with commune A's objects."""
    models = admin_models()
    checks = []
    for p in patterns:
        label, access, _ = resolve_declaration(p, models)
        if access is None:
            continue
        kwargs = access.kwargs(world) if access.kwargs else {}
        if label is not None and "<path:object_id>" in p.route:
            obj = ADMIN_MODELS[label].obj
            kwargs = {"object_id": obj(world).pk if obj is not None else 0}
        if access.path is not None:
            path = access.path(world)
        elif p.name is not None:
            path = reverse(p.name, kwargs=kwargs)
        else:
            path = "/" + _fill(p.route, kwargs)
        for query in access.queries:
            url = f"{path}?{urlencode(query)}" if query else path
            checks.append(Check(key=p.key, label=label or "", url=url, access=access))
    return checks


# --- Requests ------------------------------------------------------------------------------

LOGIN_PATHS = ("login", "admin:login")


def outcome(response):
    """What a response is, in the words of the declarations."""
    if response.status_code in (301, 302):
        target = urlsplit(response["Location"]).path
        if target in {reverse(name) for name in LOGIN_PATHS}:
            return LOGIN
        warnings = [str(m) for m in get_messages(response.wsgi_request)]
        if target == reverse("admin:index") and warnings:
            return GONE
        return REDIRECT
    return response.status_code


def response_text(response) -> str:
    """The body as text (binary downloads: their printable part) and the Location."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", "replace") + response.get("Location", "")


def leaked_secrets(text: str) -> list[str]:
    """The secrets of commune A present in ``text``, as written or escaped for JSON."""
    import json

    return [s for s in SECRETS if s in text or json.dumps(s)[1:-1] in text]


class ActorClients:
    """One logged-in test client per actor, reused for every request.

    The session cookie is put back before each request (a logout in the matrix must not
    log the next request out) and other cookies (messages, language) are dropped, so every
    request starts the same way.
    """

    def __init__(self, users: dict, **client_kwargs):
        from django.conf import settings

        self.users = users
        self.cookie_name = settings.SESSION_COOKIE_NAME
        self.clients = {}
        self.sessions = {}
        for actor in ACTORS:
            client = Client(**client_kwargs)
            self.clients[actor] = client
            self._login(actor)

    def _login(self, actor):
        client, user = self.clients[actor], self.users.get(actor)
        client.cookies.clear()
        if user is not None:
            client.force_login(user)
            self.sessions[actor] = client.cookies[self.cookie_name].value

    def request(self, actor: str, method: str, url: str, data=None, *, rollback: bool = True):
        client = self.clients[actor]
        client.cookies.clear()
        if actor in self.sessions:
            client.cookies[self.cookie_name] = self.sessions[actor]
        call = client.post if method == "POST" else client.get
        if rollback:
            with transaction.atomic():
                response = call(url, data or {})
                transaction.set_rollback(True)
        else:
            response = call(url, data or {})
        return response


# --- The world: commune A's objects and one account per actor -------------------------------


@dataclasses.dataclass
class World:
    areas: dict
    users: dict
    commune_a: object
    village_a: object
    bloc_a: object
    person_a: object
    membership_a: object
    job_a: object
    # Commune B's objects (the sibling commune of the same district).
    bloc_b: object
    person_b: object
    membership_b: object
    # Ratings of commune A's bloc (one year per stage) and the criteria of A's province.
    criteria_a: object = None
    criteria_draft_a: object = None
    rating_self: object = None
    rating_proposal: object = None
    rating_decision: object = None
    rating_decided: object = None
    evidence_a: object = None
    member_rating_a: object = None
    # The news: a category, a picture, a public article (with the picture as its cover)
    # and a draft.
    news_category: object = None
    news_image: object = None
    news_article: object = None
    news_draft: object = None
    # Documents: a published one and a draft, each with a PDF.
    document: object = None
    document_file: object = None
    document_draft: object = None
    document_draft_file: object = None
    # The daily work: an activity of A's bloc with a photo, an opinion it received.
    activity_a: object = None
    photo_a: object = None
    opinion_a: object = None
    # A notification of A's officer about the returned rating (its comment in the text).
    notification_a: object = None
    # "Dân vận khéo" models of commune A: a registered one with a photo, a recognised one.
    exemplar_a: object = None
    exemplar_photo_a: object = None
    exemplar_public: object = None
    media_root: str = ""
    #: The temporary folder made when no ``media_root`` was given (removed with the world).
    media_dir: object = None


def fresh(world: World) -> World:
    """A copy of ``world`` (built once for a module) with its objects as they were built:
    what a test reads or sets on them in memory does not reach the next test. The
    folder of its files is shared."""
    return copy.deepcopy(world, memo={id(world.media_dir): world.media_dir})


FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


def roster_csv(rows: list[dict]) -> bytes:
    """A roster file in the contract layout (CONTRACTS section 1)."""
    from members.imports import COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.get(c, "") for c in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def build_world(area_tree, media_root=None) -> World:
    """Commune A with its bloc, a village, one member with a phone and an import job
    of A's officer (with a row error, so its error report exists); commune B with its own
    bloc and member; an account for every actor (no password: they are force-logged in);
    the ratings of A's bloc (``add_ratings``) and the news (``add_news``), whose files
    (an evidence file, a picture) are stored under ``media_root`` (if not given, a
    temporary folder removed with the world): point MEDIA_ROOT there to read them back."""
    import tempfile

    from accounts.choices import StaffRole
    from members.services import membership_add
    from members.tasks import import_job_create
    from tests.factories import make_staff
    from units.services import unit_create, village_get_or_create

    def staff(role, areas=(), name=None):
        # Force-logged in: no password is typed, so none is worth hashing slowly.
        with override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
            return make_staff(role, areas, username=name)

    users = {
        "anonymous": None,
        "news_editor": staff(StaffRole.NEWS_EDITOR, name="bien-tap"),
        "officer_a": staff(StaffRole.COMMUNE_OFFICER, [area_tree["commune"]], "can-bo-xa-a"),
        "officer_b": staff(
            StaffRole.COMMUNE_OFFICER, [area_tree["sibling_commune"]], "can-bo-xa-b"
        ),
        "district": staff(StaffRole.DISTRICT_STAFF, [area_tree["district"]], "can-bo-huyen"),
        "province": staff(StaffRole.PROVINCE_STAFF, [area_tree["province"]], "can-bo-tinh"),
        "other_province": staff(
            StaffRole.PROVINCE_STAFF, [area_tree["other_province"]], "can-bo-tinh-khac"
        ),
        "admin": staff(StaffRole.SYSTEM_ADMIN, name="quan-tri"),
    }
    commune_a = area_tree["commune"]
    village_a, _ = village_get_or_create(commune=commune_a, name=SECRET_VILLAGE)
    bloc_a = unit_create(kind="bloc", area=commune_a, name=SECRET_UNIT)
    membership_a = membership_add(
        unit=bloc_a,
        full_name=SECRET_NAME,
        birth_year=1967,
        phone=SECRET_PHONE,
        role="head",
        party_member=True,
    )
    bloc_b = unit_create(kind="bloc", area=area_tree["sibling_commune"])
    membership_b = membership_add(
        unit=bloc_b, full_name="Hà Văn Bên Kia", birth_year=1971, phone="0966000999"
    )
    job_a = import_job_create(
        data=roster_csv(
            [
                {
                    "Mã xã": commune_a.code,
                    "Thôn/Tổ dân phố": SECRET_VILLAGE,
                    "Đơn vị": "Tổ dân vận",
                    "Họ và tên": SECRET_NAME,
                    "Năm sinh": "1967",
                    "Dân tộc": "Không có dân tộc này",
                    "Vai trò": "Tổ trưởng",
                    "Số điện thoại": SECRET_PHONE,
                }
            ]
        ),
        filename=SECRET_FILE,
        edition=area_tree["edition"],
        acting_user=users["officer_a"],
    )
    world = World(
        areas=area_tree,
        users=users,
        commune_a=commune_a,
        village_a=village_a,
        bloc_a=bloc_a,
        person_a=membership_a.person,
        membership_a=membership_a,
        job_a=job_a,
        bloc_b=bloc_b,
        person_b=membership_b.person,
        membership_b=membership_b,
    )
    if media_root is None:
        world.media_dir = tempfile.TemporaryDirectory(prefix="danvan-world-")
        media_root = world.media_dir.name
    world.media_root = str(media_root)
    with override_settings(MEDIA_ROOT=world.media_root):
        add_ratings(world)
        add_news(world)
        add_documents(world)
        add_work(world)
        add_notifications(world)
        add_exemplars(world)
    return world


#: A tiny JPEG (a phone's photo): what an evidence upload must start with.
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def add_ratings(world: World) -> None:
    """The criteria of A's province and the ratings of A's bloc, all through the
    services: the bloc criteria of this year, issued, copied to the three years before
    (issued) and to the next year (a draft nobody used); one rating of the bloc per year
    and stage, so that each page opens on what it is about: this year a returned
    self-assessment draft (with ``SECRET_COMMENT`` and an evidence file), last year a
    proposal, the year before a decision pending, three years ago a decided (locked)
    result; and this year's rating of A's member, waiting for the commune's proposal."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from accounts.choices import StaffRole
    from evaluations.choices import Subject
    from evaluations.services.chains import approval_chain_set
    from evaluations.services.criteria import (
        criteria_set_copy,
        criteria_set_create,
        criteria_set_issue,
    )
    from evaluations.services.evidence import evidence_add
    from evaluations.services.member_ratings import member_rating_start, member_rating_step
    from evaluations.services.ratings import (
        evaluation_decide,
        evaluation_propose,
        evaluation_self_assess,
        evaluation_start,
    )
    from evaluations.services.steps import rating_return
    from tests.evaluations.conftest import FULL, GATES, GROUPS

    users, bloc = world.users, world.bloc_a
    officer, district, province = users["officer_a"], users["district"], users["province"]
    year = timezone.localdate().year
    criteria_a = criteria_set_create(
        acting_user=province,
        province=world.areas["province"],
        year=year,
        subject="bloc",
        title=f"Tiêu chí đánh giá Khối dân vận năm {year}",
        groups=GROUPS,
        gates=GATES,
        quota_percent=20,
    )
    criteria_set_issue(acting_user=province, criteria_set=criteria_a)
    for back in (1, 2, 3):
        earlier = criteria_set_copy(acting_user=province, source=criteria_a, year=year - back)
        criteria_set_issue(acting_user=province, criteria_set=earlier)
    world.criteria_a = criteria_a
    world.criteria_draft_a = criteria_set_copy(
        acting_user=province, source=criteria_a, year=year + 1
    )

    def rating(year, stage):
        evaluation = evaluation_start(acting_user=officer, unit=bloc, year=year)
        if stage == "self":
            return evaluation
        evaluation = evaluation_self_assess(
            acting_user=officer,
            evaluation=evaluation,
            scores=FULL,
            gates={"K1": False},
            submit=True,
        )
        if stage == "proposal":
            return evaluation
        evaluation = evaluation_propose(acting_user=officer, evaluation=evaluation, submit=True)
        if stage == "decision":
            return evaluation
        return evaluation_decide(acting_user=district, evaluation=evaluation)

    returned = rating(year, "proposal")
    world.rating_self = rating_return(acting_user=officer, rating=returned, comment=SECRET_COMMENT)
    world.rating_proposal = rating(year - 1, "proposal")
    world.rating_decision = rating(year - 2, "decision")
    world.rating_decided = rating(year - 3, "decided")

    item = world.rating_self.criteria_set.groups.get(code="1").items.get(code="1.1")
    world.evidence_a = evidence_add(
        acting_user=officer,
        evaluation=world.rating_self,
        item=item,
        file=SimpleUploadedFile(SECRET_EVIDENCE, JPEG, "image/jpeg"),
    )
    member_rating = member_rating_start(
        acting_user=officer, membership=world.membership_a, year=year
    )
    world.member_rating_a = member_rating_step(acting_user=officer, rating=member_rating, level=2)
    # The province's chain for teams (the ratings above are the bloc's: unchanged).
    world.chain_a = approval_chain_set(
        acting_user=world.users["province"],
        province=world.areas["province"],
        kind=Subject.TEAM,
        self_role=StaffRole.COMMUNE_OFFICER,
        proposal_role=StaffRole.COMMUNE_OFFICER,
        decision_role=StaffRole.PROVINCE_STAFF,
    )


def add_news(world: World) -> None:
    """The news editor's category, picture (stored with its resized copies), an article
    published yesterday with that picture as its cover, and a draft; all through the
    services."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from PIL import Image as PILImage

    from news import services

    editor = world.users["news_editor"]
    buffer = io.BytesIO()
    PILImage.new("RGB", (480, 270), (200, 30, 30)).save(buffer, format="PNG")
    world.news_category = services.category_create(
        name="Hoạt động Khối dân vận", acting_user=editor
    )
    world.news_image = services.image_create(
        upload=SimpleUploadedFile("anh.png", buffer.getvalue(), "image/png"),
        alt="Hội nghị Khối dân vận",
        acting_user=editor,
    )
    article = services.article_create(
        acting_user=editor,
        title="Khối dân vận ra quân làm đường",
        summary="Bà con góp công làm đường liên thôn.",
        body="<p>Bà con góp công làm đường liên thôn.</p>",
        category=world.news_category,
        cover=world.news_image,
        cover_alt="Hội nghị Khối dân vận",
    )
    world.news_article = services.article_publish(
        article=article,
        acting_user=editor,
        now=timezone.now() - datetime.timedelta(days=1),
    )
    world.news_draft = services.article_create(
        acting_user=editor,
        title="Bản nháp chưa đăng",
        summary="Chưa đăng.",
        body="<p>Nội dung chưa đăng.</p>",
        category=world.news_category,
    )


def add_documents(world: World) -> None:
    """A published guidance document and a draft, each with a PDF, through the services."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents import services

    editor = world.users["news_editor"]
    for published in (True, False):
        document = services.document_create(
            acting_user=editor,
            doc_type="guidance",
            number="267-HD/DVTU" if published else "268-HD/DVTU",
            issuer="Ban Dân vận Tỉnh ủy",
            issued_on=datetime.date(2008, 8, 7),
            title="Kiện toàn khối dân vận cơ sở",
            is_published=published,
        )
        pdf = SimpleUploadedFile("Hướng dẫn.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
        attachment = services.attachment_add(document=document, upload=pdf, acting_user=editor)
        if published:
            world.document, world.document_file = document, attachment
        else:
            world.document_draft, world.document_draft_file = document, attachment


def add_work(world: World) -> None:
    """An activity of A's bloc today, with a photo, and an opinion A's bloc received
    today from ``SECRET_CITIZEN``; through the services, by A's officer."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from PIL import Image as PILImage

    from work.services import activity_create
    from work.services_opinions import opinion_receive

    officer, today = world.users["officer_a"], timezone.localdate()
    buffer = io.BytesIO()
    PILImage.new("RGB", (480, 320), (20, 90, 160)).save(buffer, format="JPEG")
    world.activity_a = activity_create(
        unit=world.bloc_a,
        acting_user=officer,
        kind="propaganda",
        date=today,
        participants=8,
        people_reached=70,
        description="Tuyên truyền phòng chống cháy rừng",
        photos=[SimpleUploadedFile("hoat-dong.jpg", buffer.getvalue(), "image/jpeg")],
    )
    world.photo_a = world.activity_a.photos.get()
    world.opinion_a = opinion_receive(
        unit=world.bloc_a,
        acting_user=officer,
        received_on=today,
        channel="phone",
        topic="land",
        summary="Đề nghị đo lại ranh giới đất",
        citizen_name=SECRET_CITIZEN,
        citizen_phone=SECRET_CITIZEN_PHONE,
    )


def add_notifications(world: World) -> None:
    """A notification of A's officer: the return of this year's rating, with its
    comment (``SECRET_COMMENT``), which only the officer may read."""
    from notifications.choices import Kind
    from notifications.services import notify

    (world.notification_a,) = notify(
        [world.users["officer_a"]],
        Kind.RATING_RETURNED,
        f"Đánh giá bị trả lại: {SECRET_COMMENT}",
        f"/can-bo/danh-gia/don-vi/{world.bloc_a.pk}/",
    )


def add_exemplars(world: World) -> None:
    """Two models of commune A, through the services by A's officer: one registered by
    ``SECRET_EXEMPLAR_OWNER`` with a photo, one recognised by a commune decision."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from PIL import Image as PILImage

    from exemplars import services

    officer, today = world.users["officer_a"], timezone.localdate()
    buffer = io.BytesIO()
    PILImage.new("RGB", (480, 320), (160, 90, 20)).save(buffer, format="JPEG")
    world.exemplar_a = services.exemplar_register(
        area=world.commune_a,
        acting_user=officer,
        title="Nuôi ong lấy mật giúp hộ nghèo",
        field="economy",
        owner_kind="person",
        owner_name=SECRET_EXEMPLAR_OWNER,
        registered_on=today,
        description="Hướng dẫn hộ nghèo nuôi ong",
        photos=[SimpleUploadedFile("mo-hinh.jpg", buffer.getvalue(), "image/jpeg")],
    )
    world.exemplar_photo_a = world.exemplar_a.photos.get()
    public = services.exemplar_register(
        area=world.commune_a,
        acting_user=officer,
        title="Camera an ninh thôn xóm",
        field="defence",
        owner_name="Chi hội Cựu chiến binh xã",
        registered_on=today - datetime.timedelta(days=3),
        description="Lắp camera ở các ngã ba",
    )
    day = today - datetime.timedelta(days=2)
    services.exemplar_start(exemplar=public, started_on=day, acting_user=officer)
    services.exemplar_review(exemplar=public, reviewed_on=day, acting_user=officer)
    world.exemplar_public = services.exemplar_recognise(
        exemplar=public,
        decision_number="12-QĐ/ĐU",
        decision_date=today,
        decision_level="commune",
        acting_user=officer,
    )


def db_fingerprint() -> dict:
    """What the roster and rating tables hold, to assert that a refused request changed
    nothing."""
    from django.contrib.auth import get_user_model

    from evaluations.models import (
        CriteriaSet,
        Evaluation,
        EvaluationScore,
        EvidenceFile,
        MemberRating,
    )
    from exemplars.models import Exemplar, ExemplarPhoto
    from members.models import Membership, Person
    from members.models_imports import ImportJob
    from units.models import Area, Unit
    from work.models import Activity, ActivityPhoto, Opinion, ProvinceWorkSettings

    def rows(model, *fields):
        return sorted(model.objects.values_list("pk", *fields))

    return {
        "areas": rows(Area, "name", "parent_id"),
        "units": rows(Unit, "name", "status", "dissolved_on", "decision_number", "updated_at"),
        "people": rows(Person, "full_name", "phone", "birth_year", "updated_at"),
        "memberships": rows(
            Membership, "person_id", "unit_id", "role", "end_date", "start_date", "updated_at"
        ),
        "jobs": rows(ImportJob, "status", "confirmed_at", "updated_at"),
        "users": rows(get_user_model(), "is_active", "password", "last_login"),
        "criteria_sets": rows(CriteriaSet, "title", "issued", "version", "updated_at"),
        "ratings": rows(Evaluation, "stage", "self_total", "proposed_total", "updated_at"),
        "scores": rows(EvaluationScore, "stage", "score"),
        "evidence": rows(EvidenceFile, "file"),
        "member_ratings": rows(MemberRating, "stage", "updated_at"),
        "activities": rows(Activity, "kind", "date", "people_reached", "updated_at"),
        "photos": rows(ActivityPhoto, "file"),
        "opinions": rows(Opinion, "status", "answered_on", "hot_spot_severity", "updated_at"),
        "work_settings": rows(ProvinceWorkSettings, "overdue_days"),
        "exemplars": rows(Exemplar, "status", "title", "decision_number", "updated_at"),
        "exemplar_photos": rows(ExemplarPhoto, "file"),
    }
