"""Language selection (Vietnamese unless the reader chose English); input cleaning (no
control characters in any query or form); JSON errors for the API."""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponseBadRequest, JsonResponse, QueryDict
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from portal.text import has_controls, strip_controls

logger = logging.getLogger(__name__)


class LanguageMiddleware:
    """Activate the language saved in the language cookie, else Vietnamese.

    Django's LocaleMiddleware also follows the browser's Accept-Language header. Many
    officials' browsers and phones are set to English, and the portal is Vietnamese
    first, so only an explicit choice (the switch in the footer, which sets the cookie
    through ``set_language``) changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # Back to the default for whatever runs next in this thread (a worker
            # thread, a test): the reader's choice belongs to this request only.
            translation.activate(settings.LANGUAGE_CODE)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


def _cleaned(data: QueryDict) -> QueryDict | None:
    """``data`` without control characters in its keys and values, or None when it has
    none (the common case: nothing is copied)."""
    if not any(has_controls(k) or any(has_controls(v) for v in vs) for k, vs in data.lists()):
        return None
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(strip_controls(key), [strip_controls(v) for v in values])
    cleaned._mutable = False
    return cleaned


class InputCleaningMiddleware:
    """The one place where control characters leave the input: NUL and the other C0
    characters are stripped from every query string and form field (text in
    PostgreSQL cannot hold NUL: a search for "%00" was a 500), and a path holding one is
    a 400 (no URL of the portal has one). Uploaded files are left as they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_controls(request.path):
            return HttpResponseBadRequest(_("Địa chỉ không hợp lệ."))
        query = _cleaned(request.GET)
        if query is not None:
            request.GET = query
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            form = _cleaned(request.POST)
            if form is not None:
                request.POST = form
        return self.get_response(request)


API_PREFIX = "/api/"


class APIErrorMiddleware:
    """The API answers JSON, errors included (CONTRACTS section 3): an unexpected error
    under /api/ is a JSON 500, the database being down a JSON 503, never Django's HTML
    error page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 500
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            # An error page made further in (a middleware after this one failed).
            return self._json(response.status_code)
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        logger.exception("API error: %s", request.path)
        return self._json(503 if isinstance(exception, DatabaseError) else 500)

    @staticmethod
    def _json(status: int) -> JsonResponse:
        if status == 503:
            message = _("Dịch vụ tạm thời không truy cập được cơ sở dữ liệu.")
        else:
            message = _("Lỗi máy chủ.")
        return JsonResponse(
            {"error": message, "status": status},
            status=status,
            json_dumps_params={"ensure_ascii": False},
            headers={"Retry-After": "30"} if status == 503 else None,
        )
