"""Where apps built on training plug into it.

- TRAINING_MENU_ITEMS: a Wagtail hook; `fn()` returns a MenuItem for the
  研修管理 menu (its `order` places it after training's own, 10 to 90).
- RECORD_PANELS: `fn(request, *, person, training, admin)` returns a
  Component (or None) shown on a person's records: the learner's own
  「修了記録」 page (`admin=False`) and a training admin's page of that
  person (`admin=True`). `training` is the person's PersonTraining, read
  once for the page. Certificates list themselves there.
"""

from __future__ import annotations

from wagtail import hooks
from wagtail.admin.ui.components import Component

TRAINING_MENU_ITEMS = "gofun_training_menu_items"
RECORD_PANELS = "gofun_training_record_panels"


def record_panels(request, *, person, training, admin: bool) -> list[Component]:
    panels = (
        hook(request, person=person, training=training, admin=admin)
        for hook in hooks.get_hooks(RECORD_PANELS)
    )
    return [panel for panel in panels if panel is not None]
