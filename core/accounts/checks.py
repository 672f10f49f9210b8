"""Roles and permissions named anywhere must be declared: checked once every app is loaded.

A typo'd permission would otherwise silently deny access (and the scope matrix would agree), so a
view, an admin or a role mapping naming a permission nobody declared stops start-up with a message
naming it: as a system check (`manage.py check`, runserver, every management command), at the ASGI
and WSGI start (config/asgi.py, config/wsgi.py) and at the start of the test run
(tests/conftest.py). What is only known at call time (`visible_to(user, "<perm>")`,
`Scope.covers`) is refused then (core.accounts.roles.require_permission).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from core.accounts.roles import is_permission


def declaration_problems() -> list[str]:
    """Everything naming a role, permission or URL nobody declared, one line each."""
    from core.extensions.registry import registry

    return [*registry.reference_problems(), *_view_problems(), *_admin_problems(), *_public_route_problems()]


def raise_on_declaration_problems() -> None:
    """Stop start-up (ASGI, WSGI, the test run) when something names an undeclared permission."""
    problems = declaration_problems()
    if problems:
        raise ImproperlyConfigured("Undeclared names:\n" + "\n".join(problems))


@checks.register()
def check_declarations(app_configs=None, **kwargs) -> list[checks.Error]:
    return [checks.Error(problem, id="accounts.E001") for problem in declaration_problems()]


# what views and admins declare ---------------------------------------------------------------


def declared_permissions(holder) -> Iterator[tuple[str, str]]:
    """(attribute, permission) for every permission a view or admin class names in its
    attributes: `action_permissions` ({action: (permission, …)}) and any `*_permission` or
    `*_permissions` attribute holding a name, a tuple of names or such a mapping."""
    for attribute in dir(holder):
        if not (attribute.endswith("_permission") or attribute.endswith("_permissions")):
            continue
        value = getattr(holder, attribute, None)
        for name in _names(value):
            yield attribute, name


def _names(value) -> Iterator[str]:
    if isinstance(value, str):
        if value:  # "" names none (a read-only admin's change_permission)
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _names(item)
    elif isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            if isinstance(item, str):
                yield item


def _url_patterns() -> Iterator:
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver) -> Iterator:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry)
            elif isinstance(entry, URLPattern):
                yield entry

    yield from walk(get_resolver())


def _view_problems() -> list[str]:
    found: dict[str, str] = {}
    for pattern in _url_patterns():
        view_class = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
        if view_class is None:
            continue
        for attribute, name in declared_permissions(view_class):
            if not is_permission(name):
                where = f"{view_class.__module__}.{view_class.__qualname__}.{attribute}"
                found.setdefault(
                    f"{where}:{name}",
                    f"View {where} (route {pattern.name or pattern.pattern}) names permission {name!r}, "
                    "which no app declares",
                )
    return list(found.values())


def _admin_problems() -> list[str]:
    from django.contrib import admin

    found = []
    for model_admin in admin.site._registry.values():
        cls = type(model_admin)
        for attribute, name in declared_permissions(cls):
            if not is_permission(name):
                found.append(
                    f"Admin {cls.__module__}.{cls.__qualname__}.{attribute} names permission {name!r}, "
                    "which no app declares"
                )
    return found


def _public_route_problems() -> list[str]:
    from core.extensions.contributions import PublicRoute
    from core.extensions.registry import registry

    names = {pattern.name for pattern in _url_patterns() if pattern.name}
    return [
        f"App {registry.owner(PublicRoute.kind, route.key)!r}: public route {route.key!r} names URL "
        f"{route.url_name!r}, which no URL configuration serves"
        for route in registry.items(PublicRoute.kind)
        if route.url_name not in names
    ]
