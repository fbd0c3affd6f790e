"""Certificate pages: get one's certificate, print it, verify a code.

A certificate that is not the viewer's to see, a code that is malformed and
a code that names nothing all answer the same 404 page, so the answers say
nothing about whose certificates exist.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from training.models import Curriculum, Requirement

from .codes import code_grouped
from .forms import VerificationCodeForm
from .models import Certificate
from .qr import qr_svg, verification_url
from .selectors import certificate_by_code, certificate_verify, may_view_certificate
from .services import (
    CertificateUnavailable,
    certificate_issue_for_certification,
    certificate_issue_for_requirement,
)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "certificates/not_found.html",
        {"form": VerificationCodeForm()},
        status=404,
    )


def _issued(request: HttpRequest, issue: Callable[[], Certificate]) -> HttpResponse:
    """Issue (or find) a certificate, then show it; 404 when it is not the
    viewer's to have, or there is nothing to certify (saying why)."""
    try:
        certificate = issue()
    except PermissionDenied:
        return _not_found(request)
    except CertificateUnavailable as error:
        return render(
            request,
            "certificates/unavailable.html",
            {"message": str(error)},
            status=404,
        )
    return redirect("certificates:certificate", code=certificate.code)


@never_cache
@require_GET
def requirement_certificate_view(
    request: HttpRequest, requirement_id: int
) -> HttpResponse:
    """The certificate of a completed required item."""
    requirement = Requirement.objects.filter(pk=requirement_id).first()
    if requirement is None:
        return _not_found(request)
    return _issued(
        request,
        lambda: certificate_issue_for_requirement(
            requirement=requirement, by=request.user
        ),
    )


@never_cache
@require_GET
def certification_certificate_view(
    request: HttpRequest, user_id: int, curriculum_id: int
) -> HttpResponse:
    """The certificate of a skill certification."""
    holder = get_user_model().objects.filter(pk=user_id).first()
    curriculum = Curriculum.objects.filter(pk=curriculum_id).first()
    if holder is None or curriculum is None:
        return _not_found(request)
    return _issued(
        request,
        lambda: certificate_issue_for_certification(
            holder=holder, curriculum=curriculum, by=request.user
        ),
    )


@never_cache
@require_GET
def certificate_view(request: HttpRequest, code: str) -> HttpResponse:
    """The printable certificate (A4), for its holder and training admins."""
    certificate = certificate_by_code(code=code)
    if certificate is None or not may_view_certificate(
        viewer=request.user, holder=certificate.holder
    ):
        return _not_found(request)
    url = verification_url(certificate)
    own = request.user.pk == certificate.holder_id
    return render(
        request,
        "certificates/certificate.html",
        {
            "certificate": certificate,
            "records_url": reverse("training:transcript")
            if own
            else reverse("training_staff", args=[certificate.holder_id]),
            "records_label": _("My records") if own else _("Staff training records"),
            "verification": certificate_verify(certificate=certificate),
            "code": code_grouped(certificate.code),
            "verification_url": url,
            "qr": qr_svg(url, label=_("QR code of the verification address")),
            "issuer": settings.WAGTAIL_SITE_NAME,
        },
    )


@never_cache
@require_GET
def verify_view(request: HttpRequest, code: str) -> HttpResponse:
    """Whether a certificate is genuine and still valid, for anyone signed in."""
    certificate = certificate_by_code(code=code)
    if certificate is None:
        return _not_found(request)
    return render(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "verification": certificate_verify(certificate=certificate),
            "code": code_grouped(certificate.code),
            "may_see_reason": may_view_certificate(
                viewer=request.user, holder=certificate.holder
            ),
            "form": VerificationCodeForm(),
        },
    )


@never_cache
@require_GET
def verify_form_view(request: HttpRequest) -> HttpResponse:
    """Type a code from a printed certificate."""
    form = VerificationCodeForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("certificates:verify", code=form.cleaned_data["code"])
    return render(request, "certificates/verify_form.html", {"form": form})
