"""Settings of the test run: the platform's own, plus the sample domain (tests/sample_domain), a
domain that plugs in without any file under core/ knowing it."""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.sample_domain"]  # noqa: F405
