"""The register's resources under /api/v1/registry/ (registered by core/registry/api/views.py)."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()
