"""Messages were left in English in zh-hans responses ("No record with this id was found.",
issue 13). Every string the code marks for translation has its zh-hans translation, and no
message the API raises is a bare English literal; a refusal read in zh-hans is Chinese."""

from __future__ import annotations

import ast
from pathlib import Path

import polib
import pytest
from django.conf import settings

from config.compile_messages import catalogs
from tests.helpers import client_for

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("config", "core", "affairs", "governance", "party_building", "safety", "services", "scenarios")
TRANSLATING = {
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "gettext_noop",
    "pgettext",
    "pgettext_lazy",
}
# What takes a message the API answers with (core/api/errors.py, Django's and DRF's exceptions).
RAISING = {
    "ApplicationError",
    "Invalid",
    "Forbidden",
    "NotFound",
    "Conflict",
    "field_error",
    "invalid_fields",
    "ValidationError",
    "ParseError",
    "PermissionDenied",
    "NotAuthenticated",
    "AuthenticationFailed",
    "APIException",
    "json_error",
    "error_body",
}


def modules():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(encoding="utf-8"))


def translating_names(tree) -> dict[str, str]:
    """{local name: gettext function} of what the module imports from django.utils.translation."""
    return {
        alias.asname or alias.name: alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in TRANSLATING
    }


def marked_strings():
    """(file, line, msgid) of every literal passed to a gettext function."""
    for path, tree in modules():
        names = translating_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
                kind = names[node.func.id]
                args = node.args[1:] if kind.startswith("pgettext") else node.args[:1]
                for arg in args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        yield path.relative_to(ROOT), node.lineno, arg.value


def bare_messages():
    """(file, line, text) of an English sentence given to an exception or error helper as is."""
    for path, tree in modules():
        names = set(translating_names(tree))
        wrapped = {
            id(arg)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names
            for arg in node.args
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in RAISING:
                continue
            given = [
                *node.args,
                *(k.value for k in node.keywords if k.arg in ("message", "detail", "fields")),
            ]
            for arg in given:
                for sub in ast.walk(arg):
                    text = sub.value if isinstance(sub, ast.Constant) else None
                    if isinstance(text, str) and " " in text.strip() and id(sub) not in wrapped:
                        yield path.relative_to(ROOT), sub.lineno, text


def chinese_catalog() -> dict[str, str]:
    found = {}
    for po_path in catalogs():
        if po_path.parts[-3] == "zh_Hans":
            found.update({e.msgid: e.msgstr for e in polib.pofile(str(po_path)) if e.translated()})
    return found


def test_every_marked_string_has_a_chinese_translation():
    catalog = chinese_catalog()
    marked = list(marked_strings())
    assert len(marked) > 500
    assert ("core/api/errors.py", "No record with this id was found.") in {(str(p), m) for p, _, m in marked}
    missing = [f"{path}:{line} {text!r}" for path, line, text in marked if text not in catalog]
    assert missing == [], "add these to locale/zh_Hans/LC_MESSAGES/django.po"


def test_no_message_the_api_raises_is_a_bare_english_literal():
    assert list(bare_messages()) == []


@pytest.mark.django_db
def test_refusals_read_in_chinese(world):
    client = client_for(world.community_worker)
    chinese = lambda text: any("\u4e00" <= ch <= "\u9fff" for ch in text)  # noqa: E731
    missing = client.post(
        "/api/v1/registry/tags/", {"resident": 10**15, "tag": "registry.dibao"}, format="json"
    )
    assert missing.status_code == 400 and chinese(missing.json()["error"]["fields"]["resident"][0]), (
        missing.json()
    )
    control = client.patch(
        f"/api/v1/registry/residents/{world.applicant.pk}/", {"note": "a\x0bb"}, format="json"
    ).json()
    assert chinese(control["error"]["fields"]["note"][0]), control
    identity = client.get("/api/v1/registry/residents/", {"phone": "13912345678"}).json()
    assert chinese(identity["error"]["message"]), identity
    deep = client.post("/api/v1/registry/residents/search/", data="[" * 5000, content_type="application/json")
    assert deep.status_code == 400 and chinese(deep.json()["error"]["message"]), deep.content
