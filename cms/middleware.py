"""Single sign-on from a fronting proxy, switched on by GOFUN_REMOTE_USER_SSO."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.middleware import RemoteUserMiddleware
from django.utils import translation


class ProxyRemoteUserMiddleware(RemoteUserMiddleware):
    """Signs staff in from the header the intranet's authenticating proxy sets.

    Inert unless GOFUN_REMOTE_USER_SSO is on: without a proxy that strips the
    header from incoming requests, anyone could claim any identity with it.
    The header defaults to X-Remote-User (GOFUN_REMOTE_USER_HEADER).
    """

    @property
    def header(self) -> str:
        return settings.GOFUN_REMOTE_USER_HEADER

    def process_request(self, request):
        if settings.GOFUN_REMOTE_USER_SSO:
            super().process_request(request)

    async def aprocess_request(self, request):
        if settings.GOFUN_REMOTE_USER_SSO:
            await super().aprocess_request(request)


class InterfaceLanguageMiddleware:
    """Japanese first: the language menu's choice, else the site default.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would
    show English to staff whose browser happens to be set up in English; the
    ministry wants Japanese unless a person chooses otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
