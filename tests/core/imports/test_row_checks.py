"""The shortcuts the import's row checks take must give exactly what the long way gives: pinyin
from the per-character cache, the birth date and sex read once from an accepted ID number, and
the birth date bounded by the import's own `today`."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from pypinyin import Style, lazy_pinyin

from core.imports.synthetic import PeopleFactory
from core.pii.validators import id_number_birth_date, id_number_check_char, id_number_sex
from core.registry.identity import identity_columns, name_pinyin


def pypinyin_itself(name: str) -> tuple[str, str]:
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=lambda chars: list(chars))
    initials = "".join(s[0] for s in syllables if s and s[0].isalnum()).lower()
    return initials[:50], "".join(s for s in syllables if s.isalnum()).lower()[:200]


# Names whose parts pypinyin reads as a phrase (重庆 chóngqìng, 长孙 zhǎngsūn, 单于 chányú …),
# letters, digits, spaces and separators in names.
SPECIAL_NAMES = ["重庆", "长孙无忌", "单于明", "曾长生", "乐乐", "查理", "欧阳 娜娜", "阿卜杜·热合曼"]
SPECIAL_NAMES += ["Anna李", "李A1", "〇〇七"]


def test_name_pinyin_is_what_pypinyin_gives_for_every_name():
    factory = PeopleFactory(random.Random(7))
    names = {factory.name(sex) for sex in "MF" * 2_000} | set(SPECIAL_NAMES)
    rng = random.Random(11)
    common = (
        "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学"
        "对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头"
        "面公同三已老从动两长知民样现分将外"
    )
    names |= {"".join(rng.choice(common) for _ in range(rng.randint(2, 4))) for _ in range(5_000)}
    differing = [name for name in names if name_pinyin(name) != pypinyin_itself(name)]
    assert differing == []
    assert name_pinyin("重庆") == ("cq", "chongqing") and name_pinyin("张三") == ("zs", "zhangsan")


def id_number(birth: date, sequence: int) -> str:
    first17 = f"340202{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_number_check_char(first17)


def test_birth_date_and_sex_are_those_the_number_carries():
    rng = random.Random(3)
    for _ in range(2_000):
        number = id_number(date(1900, 1, 1) + timedelta(days=rng.randrange(45_000)), rng.randrange(1000))
        columns = identity_columns("id_card", number)
        derived = (id_number_birth_date(number), id_number_sex(number))
        assert (columns["birth_date"], columns["sex"]) == derived


def test_a_birth_date_after_the_given_today_is_refused():
    number = id_number(date(2026, 12, 5), 17)
    assert identity_columns("id_card", number, today=date(2026, 12, 5))["birth_date"] == date(2026, 12, 5)
    with pytest.raises(ValidationError) as refused:
        identity_columns("id_card", number, today=date(2026, 12, 4))
    assert "document_number" in refused.value.message_dict


@pytest.mark.django_db
def test_a_name_holding_a_mobile_or_an_id_number_is_refused(world):
    """A name is shown in full in lists: one typed with a mobile or an ID number in it would leak
    it (issue 13's property test found "居民16309290310" shown verbatim)."""
    from core.imports.rows import RowValidator

    validator = RowValidator(region=world.community_a, user=world.community_worker, today=date(2026, 12, 5))
    rows = validator.check_rows(
        [
            (2, {"name": "居民16309290310"}),
            (3, {"name": f"张{id_number(date(1980, 1, 2), 5)}"}),
            (4, {"name": "李A1"}),
        ]
    )
    refused = [
        any("身份证号码或手机号码" in e or "ID number or a mobile" in e for e in r.errors) for r in rows
    ]
    assert refused == [True, True, False]
