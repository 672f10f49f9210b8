from tests.browser import browser, page  # noqa: F401  (the one browser fixture)
