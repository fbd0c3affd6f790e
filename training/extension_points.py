"""Where apps built on training plug into it.

- TRAINING_MENU_ITEMS: a Wagtail hook; `fn()` returns a MenuItem for the
  研修管理 menu (its `order` places it after training's own, 10 to 90).
"""

TRAINING_MENU_ITEMS = "gofun_training_menu_items"
