"""The register's admin (zh-hans), for community workers: scoped, searchable, PII masked.

Django discovers this module; the model admins live in admin_people.py (residents, households,
tags, transfers) and admin_housing.py (houses, buildings, compounds, place names), on the register's
admin bases (admin_writes.py) and the platform's scoped admin (core/scoped_admin.py).
"""

from core.registry import admin_housing, admin_people  # noqa: F401 - registers the model admins
