"""The one rule for showing figures about groups of people: none under k.

Every breakdown by who people are (job role, division, post) goes through
`groups_fit_to_show`: a group of fewer than k people (the setting
GOFUN_ANALYTICS_MIN_GROUP_SIZE, 5 by default) is not shown, so no one can be
singled out. Where the groups split everyone (division, post: each view in
exactly one), hiding one small group alone would let its figures be worked
out from the total minus the groups shown, so the smallest groups shown are
hidden with it until the hidden ones together hold at least k people. Job
roles overlap (a person may hold several), so no total gives them away.

People are counted as distinct persons over the whole range; where raw events
have been purged the count is the largest of the daily counts, which is never
more than the true number, so the rule errs on the side of hiding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings

Group = TypeVar("Group")


def min_group_size() -> int:
    """k: the fewest people a figure about a group may describe."""
    return max(1, int(settings.GOFUN_ANALYTICS_MIN_GROUP_SIZE))


@dataclass(frozen=True)
class Shown:
    groups: list
    hidden: int


def groups_fit_to_show(
    groups: Sequence[Group],
    *,
    people: Callable[[Group], int],
    partition: bool,
) -> Shown:
    """The groups that may be shown, in their order, and how many are hidden.

    `partition` says whether every person or view falls in exactly one group
    (then the hidden groups must hold k people between them, see above).
    """
    k = min_group_size()
    hidden = [group for group in groups if people(group) < k]
    shown = [group for group in groups if people(group) >= k]
    if partition and hidden:
        by_size = sorted(shown, key=people)
        while sum(people(group) for group in hidden) < k and by_size:
            hidden.append(by_size.pop(0))
        kept = {id(group) for group in by_size}
        shown = [group for group in shown if id(group) in kept]
    return Shown(groups=shown, hidden=len(hidden))
