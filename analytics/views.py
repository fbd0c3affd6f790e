"""The reader's beacon: how far a view went and how long it took."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .forms import BeaconForm
from .services import BeaconRefused, lesson_view_progress

logger = logging.getLogger("gofun.analytics")


# Not redirected to the sign-in page like other views: a beacon cannot follow
# a redirect, so someone not signed in is simply refused.
@login_not_required
@never_cache
@require_POST
def beacon_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    form = BeaconForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        lesson_view_progress(
            token=form.cleaned_data["view"],
            lesson_id=form.cleaned_data["lesson"],
            user=request.user,
            progress=form.progress,
            session=request.session,
        )
    except BeaconRefused as refusal:
        logger.info(
            "Beacon refused (%s) for user %s: %s",
            refusal.status,
            request.user.pk,
            refusal,
        )
        return HttpResponse(status=refusal.status)
    return HttpResponse(status=204)
