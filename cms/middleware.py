"""Site-wide middleware: single sign-on from a fronting proxy, the interface
language, request body limits and the idle session timeout."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import RemoteUserMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

TEXT = "text/plain; charset=utf-8"


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


class RequestBodyLimitMiddleware:
    """Refuses a request body on its Content-Length, before anything reads it.

    Django reads a body only when a view (or CSRF's check of a form) asks
    for request.POST, and a multipart upload is then written to disk whole;
    Wagtail's and our upload views check sizes only after that. Here, before
    any of it: an anonymous body larger than a sign-in form, or a file sent
    to an upload path by someone not signed in, is refused (403); a body over the
    limit of its path is refused (413); a body on an upload path without a
    Content-Length is refused (411).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def limit_for(self, path: str) -> tuple[int, bool]:
        for prefix, limit in settings.GOFUN_UPLOAD_BODY_LIMITS.items():
            if path.startswith(prefix):
                return limit, True
        return settings.GOFUN_MAX_REQUEST_BODY, False

    def __call__(self, request):
        refusal = self.refusal(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)

    def refusal(self, request):
        from django.http import HttpResponse

        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        raw_length = request.META.get("CONTENT_LENGTH") or ""
        content_type = request.META.get("CONTENT_TYPE", "")
        limit, is_upload_path = self.limit_for(request.path_info)
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not raw_length.strip():
            if chunked and is_upload_path:
                return HttpResponse(
                    _("Uploads must say their size."), status=411, content_type=TEXT
                )
            return None
        try:
            length = int(raw_length)
        except ValueError:
            return HttpResponse(
                _("The request is malformed."), status=400, content_type=TEXT
            )
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if not signed_in and (
            (is_upload_path and content_type.startswith("multipart/"))
            or length > settings.GOFUN_ANONYMOUS_MAX_REQUEST_BODY
        ):
            return HttpResponse(
                _("Sign in before sending files."), status=403, content_type=TEXT
            )
        if length > limit:
            return HttpResponse(
                _("The upload is larger than %(size)d MB.")
                % {"size": max(1, limit // (1024 * 1024))},
                status=413,
                content_type=TEXT,
            )
        return None


class IdleSessionTimeoutMiddleware:
    """Signs a person out after GOFUN_SESSION_IDLE_TIMEOUT without a request.

    The time of the last request is kept in the session, written at most
    once a minute so that reading a lesson does not write the session on
    every page.
    """

    KEY = "gofun_last_seen"
    WRITE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None:
            now = int(time.time())
            last_seen = session.get(self.KEY)
            idle = int(settings.GOFUN_SESSION_IDLE_TIMEOUT.total_seconds())
            if isinstance(last_seen, int) and now - last_seen > idle:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)d minutes without activity.")
                    % {"minutes": idle // 60},
                )
            elif not isinstance(last_seen, int) or now - last_seen >= self.WRITE_EVERY:
                session[self.KEY] = now
        return self.get_response(request)
