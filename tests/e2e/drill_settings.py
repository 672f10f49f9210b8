"""Settings of the processes a drill starts: production's (config.settings), with the uploads
in the drill's own folder and an import's worker taken for dead sooner, so the drill is short."""

import os

from config.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ["DRILL_PRIVATE_DIR"]},
    },
}
IMPORT_STALE_SECONDS = int(os.environ.get("DRILL_IMPORT_STALE_SECONDS", "10"))
IMPORT_BATCH_ROWS = int(os.environ.get("DRILL_IMPORT_BATCH_ROWS", "250"))
