"""Where apps built on training plug into its pages.

- RECORD_PANELS: `fn(request, *, person, training, admin)` returns a
  Component (or None) shown on a person's records: the learner's own
  「修了記録」 page (`admin=False`) and a training admin's page of that
  person (`admin=True`). `training` is the person's PersonTraining, read
  once for the page. Certificates list themselves there.
"""

from __future__ import annotations

from wagtail import hooks
from wagtail.admin.ui.components import Component

RECORD_PANELS = "gofun_training_record_panels"


def record_panels(request, *, person, training, admin: bool) -> list[Component]:
    panels = (
        hook(request, person=person, training=training, admin=admin)
        for hook in hooks.get_hooks(RECORD_PANELS)
    )
    return [panel for panel in panels if panel is not None]
