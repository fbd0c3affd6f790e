"""The production-shaped stack on loopback (bin/stack): production's settings,
marked as the stack so that `seed_demo` may load the demo into its throwaway
database. Production itself (cms.settings.production) still refuses it."""

from .production import *  # noqa: F403

GOFUN_ENVIRONMENT = "stack"
