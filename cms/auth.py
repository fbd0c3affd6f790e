"""Authentication backend for proxy single sign-on."""

from __future__ import annotations

from django.contrib.auth.backends import RemoteUserBackend


class StaffRemoteUserBackend(RemoteUserBackend):
    """Accepts only staff who already have an account.

    Accounts come from the personnel system; a name the proxy sends that has
    no account here is refused rather than created without division or roles.
    """

    create_unknown_user = False
