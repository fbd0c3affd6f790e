"""Reads of certificates: what a person can have a certificate for, the
certificate behind a code, and whether it still holds.

Who sees what (the privacy rule of training.permissions, applied here):
- the printable certificate: its holder and training admins, nobody else;
- the verification page: any signed-in member of staff who has the code. It
  shows what the certificate itself shows to whoever holds it — the name as
  printed, the training, the date and whether it still holds — because
  telling a colleague that the named person's certificate is genuine is the
  point of verifying it. It shows nothing the paper does not (no staff
  number, division, score or other record), and why a certificate no longer
  holds is told only to its holder and training admins; others read that it
  is no longer valid.

Validity is derived from the ledger at each verification, never stored: a
certificate holds while every ledger row it rests on stands (none voided),
and, for a completed item, while its requirement still counts as completed
(a material revision of the lesson re-opens it); for a skill certification,
while the person still holds that certification and its date of validity
has not passed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from training.models import CompletionRecord, Requirement
from training.permissions import may_see_people
from training.requirements.selectors import (
    PersonTraining,
    Status,
    person_training,
    requirement_states,
    requirements_with_targets,
)

from .codes import code_normalise
from .models import Certificate


def requirement_title(requirement: Requirement) -> str:
    target = requirement.target
    return str(getattr(target, "title", None) or target or "")


def may_view_certificate(*, viewer, holder) -> bool:
    """The printable certificate: its holder, and training admins."""
    return viewer.is_authenticated and (
        viewer.pk == holder.pk or may_see_people(viewer)
    )


@dataclass(frozen=True)
class Offer:
    """Something a person can have a certificate for, and where to get it."""

    kind: str
    title: str
    context: str
    day: datetime.date
    url: str


def certificates_offered(*, person, training: PersonTraining) -> list[Offer]:
    """The person's skill certifications, then every required item they
    completed (waived ones are not completions), newest first. An item whose
    lesson or series the person may no longer see is left out, as their
    records page leaves out its title."""
    offers = [
        Offer(
            kind=Certificate.Kind.CERTIFICATION,
            title=str(certification.role),
            context=certification.curriculum.name,
            day=certification.certified_on,
            url=reverse(
                "certificates:certification",
                kwargs={
                    "user_id": person.pk,
                    "curriculum_id": certification.curriculum.pk,
                },
            ),
        )
        for certification in training.certifications
    ]
    completed = sorted(
        (
            state
            for state in training.met + training.lapsed
            if state.status == Status.COMPLETED and state.target_visible
        ),
        key=lambda state: (state.completed_on, state.requirement.pk),
        reverse=True,
    )
    offers += [
        Offer(
            kind=Certificate.Kind.ITEM,
            title=requirement_title(state.requirement),
            context=state.requirement.curriculum.name,
            day=state.completed_on,
            url=reverse(
                "certificates:requirement",
                kwargs={"requirement_id": state.requirement.pk},
            ),
        )
        for state in completed
    ]
    return offers


def certificate_by_code(*, code: str) -> Certificate | None:
    """The certificate with this code (as typed or printed), or None."""
    normalised = code_normalise(code)
    if normalised is None:
        return None
    return (
        Certificate.objects.select_related("holder", "requirement", "curriculum")
        .filter(code=normalised)
        .first()
    )


class Invalidity(models.TextChoices):
    VOIDED = "voided", _("A record it rests on has been voided.")
    RETRAINING = (
        "retraining",
        _("A material revision of the lesson requires the training to be taken again."),
    )
    NOT_MET = "not_met", _("The training it certifies no longer counts as completed.")
    EXPIRED = "expired", _("The period it was valid for has ended.")
    LAPSED = (
        "lapsed",
        _(
            "The skill certification no longer holds: the role ended, or the "
            "curriculum now asks for more."
        ),
    )


@dataclass(frozen=True)
class Verification:
    certificate: Certificate
    checked_on: datetime.date
    invalidity: str = ""

    @property
    def valid(self) -> bool:
        return not self.invalidity

    @property
    def reason(self) -> str:
        return str(Invalidity(self.invalidity).label) if self.invalidity else ""


def _records_stand(record_ids) -> bool:
    ids = {int(pk) for pk in record_ids}
    if not ids:
        return False
    standing = CompletionRecord.objects.standing().filter(pk__in=ids).count()
    return standing == len(ids)


def certificate_verify(
    *, certificate: Certificate, today: datetime.date | None = None
) -> Verification:
    """Whether the certificate still holds, and if not, why (see the module
    docstring)."""
    today = today or timezone.localdate()
    if not _records_stand(certificate.record_ids):
        return Verification(certificate, today, Invalidity.VOIDED)
    if certificate.kind == Certificate.Kind.ITEM:
        requirement = requirements_with_targets().get(pk=certificate.requirement_id)
        # Re-opened by a material revision: the requirement lapsed and a new one
        # took its place, while the records it was met with still stand.
        if requirement.lapse_reason == Requirement.LapseReason.RETRAINING:
            return Verification(certificate, today, Invalidity.RETRAINING)
        [state] = requirement_states([requirement], today=today)
        if state.status == Status.COMPLETED:
            return Verification(certificate, today)
        return Verification(certificate, today, Invalidity.NOT_MET)
    if certificate.valid_until and today > certificate.valid_until:
        return Verification(certificate, today, Invalidity.EXPIRED)
    training = person_training(user=certificate.holder, today=today)
    if any(
        certification.curriculum.pk == certificate.curriculum_id
        for certification in training.certifications
    ):
        return Verification(certificate, today)
    return Verification(certificate, today, Invalidity.LAPSED)
