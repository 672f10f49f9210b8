"""Compiled catalogs are committed (GNU gettext is not a prerequisite) and must match their sources."""

from __future__ import annotations

import gettext

import polib
import pytest

from config.compile_messages import catalogs


@pytest.mark.parametrize("po_path", catalogs(), ids=lambda p: str(p.parent.parent.parent.name))
def test_every_po_is_compiled_into_its_mo(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run make messages"
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    source = {
        entry.msgid: entry.msgstr
        for entry in polib.pofile(str(po_path)).translated_entries()
        if not entry.msgid_plural and not entry.msgctxt
    }
    stale = {msgid: text for msgid, text in source.items() if compiled.get(msgid) != text}
    assert not stale, f"{po_path} is newer than its .mo (run make messages): {list(stale)[:5]}"


def test_there_is_a_chinese_catalog():
    assert any(p.parts[-3] == "zh_Hans" for p in catalogs())


def test_every_catalog_entry_is_translated():
    for po_path in catalogs():
        catalog = polib.pofile(str(po_path))
        missing = [
            e.msgid for e in catalog.untranslated_entries() + catalog.fuzzy_entries() if not e.obsolete
        ]
        assert not missing, f"{po_path}: untranslated {missing[:10]}"
