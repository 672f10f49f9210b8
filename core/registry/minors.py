"""Names of minors leave the register masked (issue 4: "ID numbers, phones and names of minors
come masked"): every output shows `张*` for a resident under 18; the full name comes only from
the reveal endpoint. Search still works on the stored name, so staff find minors as before.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from core.pii.masking import mask_name
from core.registry.contributions import ADULT_AGE
from core.registry.tags import years_before


def is_minor(birth_date: date | None, today: date | None = None) -> bool:
    """Under 18 on `today`; a person whose birth date is unknown counts as an adult."""
    if birth_date is None:
        return False
    return birth_date > years_before(today or timezone.localdate(), ADULT_AGE)


def shown_name(name: str, birth_date: date | None, today: date | None = None) -> str:
    """The name as an output may show it: masked for a minor."""
    return mask_name(name) if is_minor(birth_date, today) else name


def resident_shown_name(resident, today: date | None = None) -> str:
    return shown_name(resident.name, resident.birth_date, today) if resident is not None else ""
