"""Hypothesis strategies for personal data hidden in free text (shared by the leak tests)."""

from __future__ import annotations

import unicodedata
from datetime import date

from hypothesis import assume
from hypothesis import strategies as st

from core.pii.validators import PROVINCE_CODES, id_number_check_char


@st.composite
def id_numbers(draw) -> str:
    """A valid 18-character resident ID number (province, real birth date, right check digit)."""
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    area = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 1, 1)))
    sequence = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    first17 = f"{province}{area}{birth:%Y%m%d}{sequence}"
    return first17 + id_number_check_char(first17)


mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
# Any text at all around the number: letters, other digits (the number glued to a longer run),
# full-width digits, separators, Chinese, emoji.
filler = st.text(max_size=20) | st.from_regex(r"[0-9 \-Xx]{0,6}", fullmatch=True)


@st.composite
def free_text_with_personal_data(draw) -> tuple[str, list[str]]:
    """A text with an ID number and a mobile hidden anywhere in it, and the strings that must not
    come out: the ID, its 8-digit birth date and the mobile."""
    id_number, phone = draw(id_numbers()), draw(mobiles)
    before, between, after = draw(filler), draw(filler), draw(filler)
    text = f"{before}{id_number}{between}{phone}{after}"
    birth = id_number[6:14]
    # The birth date must come from the ID, not from the random text around it.
    for part in (before + id_number[:4], id_number[14:] + between + phone + after):
        assume(birth not in unicodedata.normalize("NFKC", part))
    return text, [id_number, birth, phone]


def leaked(output: str, secrets: list[str]) -> list[str]:
    """The secrets found in `output` as typed or once full-width digits are folded (NFKC)."""
    folded = unicodedata.normalize("NFKC", output)
    return [s for s in secrets if s in output or s in folded]
