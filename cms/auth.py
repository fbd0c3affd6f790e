"""Authentication backend for proxy single sign-on; the client's address."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import RemoteUserBackend


class StaffRemoteUserBackend(RemoteUserBackend):
    """Accepts only staff who already have an account.

    Accounts come from the personnel system; a name the proxy sends that has
    no account here is refused rather than created without division or roles.
    """

    create_unknown_user = False


def client_ip_address(request) -> str:
    """The client's address for sign-in throttling.

    Behind GOFUN_PROXY_COUNT proxies, each appending to X-Forwarded-For, the
    client is that many entries from the right (entries further left are
    whatever the client sent, so never trusted); without proxies it is the
    connection's address.
    """
    proxies = getattr(settings, "GOFUN_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote
