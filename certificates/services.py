"""Issuing certificates (修了証).

A certificate is issued when its holder (or a training admin) first asks
for it, from what the ledger says at that moment: a required item completed
(not waived: a waiver is not a completion), or a skill certification held.
Only standing ledger rows count (training.requirements.selectors reads the
ledger without voided rows), so there is never a certificate for a voided
record. Asking again for the same thing on the same evidence gives the same
certificate and code; after the evidence changes (a record voided and the
training completed again), a new one with a new code, while the old one
stops verifying.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from training.models import Curriculum, Requirement
from training.requirements.selectors import (
    Status,
    person_training,
    requirement_states,
    requirements_with_targets,
)

from .codes import code_new
from .models import Certificate
from .selectors import may_view_certificate, requirement_title


class CertificateUnavailable(Exception):
    """There is nothing to certify; the message says why, for the person."""


def _holder_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _evidence_key(*parts) -> str:
    return hashlib.sha256(
        json.dumps(parts, default=str, separators=(",", ":")).encode()
    ).hexdigest()


def _issue(*, key: str, by, **fields) -> Certificate:
    """The certificate with this evidence key, created once (a concurrent
    request for the same one finds the row the other made)."""
    for _attempt in range(3):
        existing = Certificate.objects.filter(evidence_key=key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    code=code_new(), evidence_key=key, issued_by=by, **fields
                )
        except IntegrityError:
            continue
    raise RuntimeError(f"Could not issue the certificate {key}")


def certificate_issue_for_requirement(
    *, requirement: Requirement, by, today: datetime.date | None = None
) -> Certificate:
    """The certificate of a completed required item.

    Raises PermissionDenied unless `by` is the holder or a training admin,
    and CertificateUnavailable when the item is not completed.
    """
    requirement = (
        requirements_with_targets().select_related("user").get(pk=requirement.pk)
    )
    holder = requirement.user
    if not may_view_certificate(viewer=by, holder=holder):
        raise PermissionDenied
    [state] = requirement_states([requirement], today=today)
    if state.status == Status.WAIVED:
        raise CertificateUnavailable(
            _("This item was waived, not completed, so it has no certificate.")
        )
    if state.status != Status.COMPLETED or not state.evidence_ids:
        raise CertificateUnavailable(
            _("This training is not completed yet, so it has no certificate.")
        )
    if not state.target_visible:
        raise CertificateUnavailable(
            _("This lesson is no longer open to its learner, so it has no certificate.")
        )
    period = bool(requirement.period)
    return _issue(
        key=_evidence_key(
            Certificate.Kind.ITEM, holder.pk, requirement.pk, state.evidence_ids
        ),
        by=by,
        kind=Certificate.Kind.ITEM,
        holder=holder,
        requirement=requirement,
        holder_name=_holder_name(holder),
        title=requirement_title(requirement),
        context=requirement.curriculum.name,
        completed_on=state.completed_on,
        period_start=requirement.counts_from if period else None,
        period_end=requirement.period_end if period else None,
        record_ids=list(state.evidence_ids),
    )


def certificate_issue_for_certification(
    *, holder, curriculum: Curriculum, by, today: datetime.date | None = None
) -> Certificate:
    """The certificate of a skill certification the person holds.

    Raises PermissionDenied unless `by` is the holder or a training admin,
    and CertificateUnavailable when they do not hold it.
    """
    if not may_view_certificate(viewer=by, holder=holder):
        raise PermissionDenied
    today = today or timezone.localdate()
    training = person_training(user=holder, today=today)
    certification = next(
        (c for c in training.certifications if c.curriculum.pk == curriculum.pk),
        None,
    )
    if certification is None or not certification.evidence_ids:
        raise CertificateUnavailable(
            _("This skill certification is not held, so it has no certificate.")
        )
    return _issue(
        key=_evidence_key(
            Certificate.Kind.CERTIFICATION,
            holder.pk,
            curriculum.pk,
            certification.evidence_ids,
            certification.certified_on,
            certification.valid_until,
        ),
        by=by,
        kind=Certificate.Kind.CERTIFICATION,
        holder=holder,
        curriculum=curriculum,
        holder_name=_holder_name(holder),
        title=str(certification.role),
        context=curriculum.name,
        completed_on=certification.certified_on,
        valid_until=certification.valid_until,
        record_ids=list(certification.evidence_ids),
    )
