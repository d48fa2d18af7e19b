"""Language selection: Vietnamese unless the reader chose English."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
