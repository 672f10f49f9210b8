"""Settings whose URL configuration holds a view naming an undeclared permission."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.core.accounts.typo_urls"
