"""Single sign-on from a fronting proxy, switched on by GOFUN_REMOTE_USER_SSO."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.middleware import RemoteUserMiddleware


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
