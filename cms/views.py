"""Site-wide views: sign-in, its lockout page, the health check for the
fronting proxy, the favicon."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


class SignInView(auth_views.LoginView):
    template_name = "registration/login.html"
    # Not redirected away: Wagtail sends signed-in staff without admin access
    # here with a message, and bouncing them back would loop.


def sign_in_locked_out(request, original_response=None, credentials=None):
    """What django-axes answers on a locked account or address: the reason in
    the interface language, and 429 (nothing about whether the account exists)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "lockout_minutes": minutes},
        status=429,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Answers 200 when the database answers; nothing about the site leaks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own, signed in or not."""
    return HttpResponsePermanentRedirect(static("cms/favicon.svg"))
