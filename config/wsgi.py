import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from core.accounts.checks import raise_on_declaration_problems  # noqa: E402

# A view or role naming a permission nobody declared stops the start (core/accounts/checks.py).
raise_on_declaration_problems()
