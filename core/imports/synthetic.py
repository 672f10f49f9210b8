"""Synthetic people for the demo and the benchmarks: names, ID numbers, phones, households, tags.

Pure Python and deterministic: the same random.Random seed gives the same people. Nothing here
touches the database. ID numbers are valid (GB 11643 check digit) with real Wuhu administrative
codes and real birth dates, and unique by construction: the three-digit sequence number comes
from a counter per (code, birth date, sex), so no set of every number issued is kept.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.pii.validators import id_number_check_char

# Ages are counted from a fixed day, so a seed gives the same birth dates whenever it runs.
REFERENCE_DATE = date(2025, 7, 1)

# Codes of the county-level divisions of Wuhu, current and former (older ID numbers keep them).
WUHU_CODES = {
    "340202": ("340202",),
    "340207": ("340207", "340208"),
    "340209": ("340209", "340203", "340204"),
    "340210": ("340210", "340221"),
    "340212": ("340212", "340222"),
    "340223": ("340223",),
    "340281": ("340281", "340225"),
}
# Where floating residents come from: other cities of Anhui and neighbouring provinces.
ELSEWHERE_CODES = ("340102", "340302", "340503", "341802", "341502", "340822", "320106", "360102", "420106")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾汪田"
    "董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢方"
)
# Rough frequencies of the surnames above (per mille), most common first.
SURNAME_WEIGHTS = (
    71, 70, 68, 54, 46, 31, 22, 21, 20, 19, 16, 15, 14, 13, 13, 11, 11, 10, 10, 9, 8, 8, 7, 7, 7,
    6, 6, 6, 6, 6, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
)  # fmt: skip
GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林洋文博瑞轩泽志建国"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英燕玲桂红梅琳雪婷慧颖倩欣怡佳萱蕾璐月洁兰"
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "175",
    "176",
    "177",
    "178",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)
ETHNICITIES = ("汉族",) * 98 + ("回族", "满族")
DISABILITY_CATEGORIES = ("visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple")

# Household compositions: (weight, [(relation, min age, max age), …]); the first is the householder.
COMPOSITIONS = (
    (7, [("self", 65, 94)]),
    (13, [("self", 60, 88), ("spouse", 58, 88)]),
    (14, [("self", 24, 64), ("spouse", 23, 64)]),
    (28, [("self", 30, 62), ("spouse", 29, 62), ("child", 0, 36)]),
    (15, [("self", 32, 56), ("spouse", 31, 56), ("child", 0, 30), ("child", 0, 30)]),
    (10, [("self", 30, 55), ("spouse", 29, 55), ("child", 0, 17), ("parent", 60, 88)]),
    (5, [("self", 26, 50), ("child", 0, 20)]),
    (5, [("self", 36, 60), ("spouse", 35, 60), ("parent", 62, 90)]),
)
_COMPOSITION_WEIGHTS = [weight for weight, _members in COMPOSITIONS]


@dataclass
class Person:
    name: str
    sex: str
    birth_date: date
    id_number: str
    relation: str
    mobile: str = ""
    ethnicity: str = "汉族"
    tags: list[tuple[str, dict]] = field(default_factory=list)

    def age(self, on: date = REFERENCE_DATE) -> int:
        return (
            on.year
            - self.birth_date.year
            - ((on.month, on.day) < (self.birth_date.month, self.birth_date.day))
        )


@dataclass
class SyntheticHousehold:
    residence_type: str
    members: list[Person]
    landline: str = ""


class PeopleFactory:
    """Makes households of people for one district; keeps the ID sequence counters."""

    def __init__(self, rng: random.Random, codes: tuple[str, ...] | None = None) -> None:
        self.rng = rng
        # Benchmarks pass codes of their own, so their people never collide with the demo's.
        self.codes = codes
        self._sequence: dict[tuple[str, int, int], int] = {}

    def id_number(self, code: str, birth_date: date, sex: str) -> str:
        parity = 1 if sex == "M" else 0
        key = (code, birth_date.toordinal(), parity)
        count = self._sequence.get(key, 0)
        self._sequence[key] = count + 1
        # Spread the first number issued so they do not all start at 001.
        start = (birth_date.toordinal() * 7 + int(code) * 13) % 300
        sequence = 2 * ((start + count) % 500) + parity
        first17 = f"{code}{birth_date:%Y%m%d}{sequence:03d}"
        return first17 + id_number_check_char(first17)

    def name(self, sex: str) -> str:
        rng = self.rng
        surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
        pool = GIVEN_MALE if sex == "M" else GIVEN_FEMALE
        given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
        return surname + given

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def household(self, district_code: str) -> SyntheticHousehold:
        rng = self.rng
        members_spec = rng.choices(COMPOSITIONS, weights=_COMPOSITION_WEIGHTS)[0][1]
        roll = rng.random()
        residence_type = "registered" if roll < 0.8 else ("permanent" if roll < 0.92 else "floating")
        codes = ELSEWHERE_CODES if residence_type == "floating" else WUHU_CODES[district_code]
        codes = self.codes or codes
        householder_sex = "M" if rng.random() < 0.6 else "F"
        members: list[Person] = []
        householder_age = 0
        for relation, min_age, max_age in members_spec:
            if relation == "self":
                sex, age = householder_sex, rng.randint(min_age, max_age)
                householder_age = age
            elif relation == "spouse":
                sex = "F" if householder_sex == "M" else "M"
                age = max(min_age, min(max_age, householder_age + rng.randint(-4, 4)))
            elif relation == "child":
                sex = rng.choice("MF")
                # Born when the householder was 22 to 40.
                youngest, oldest = max(min_age, householder_age - 40), min(max_age, householder_age - 22)
                age = rng.randint(min(youngest, oldest), max(min_age, oldest))
            else:  # parent
                sex = rng.choice("MF")
                age = max(min_age, min(max_age, householder_age + rng.randint(22, 34)))
            birth_date = REFERENCE_DATE - timedelta(days=age * 365 + rng.randrange(365) + age // 4)
            code = codes[0] if rng.random() < 0.8 else rng.choice(codes)
            person = Person(
                name=self.name(sex),
                sex=sex,
                birth_date=birth_date,
                id_number=self.id_number(code, birth_date, sex),
                relation=relation,
                ethnicity=rng.choice(ETHNICITIES),
            )
            if person.age() >= 16 and rng.random() < 0.95:
                person.mobile = self.mobile()
            members.append(person)
        household = SyntheticHousehold(residence_type=residence_type, members=members)
        if rng.random() < 0.1:
            household.landline = f"0553-{rng.randrange(2_000_000, 9_000_000)}"
        self._tag(household)
        return household

    def _tag(self, household: SyntheticHousehold) -> None:
        """Assigned tags at about the rates of a Wuhu community (derived age tags are not stored)."""
        rng = self.rng
        members = household.members
        alone = len(members) == 1
        dibao = rng.random() < 0.02
        for person in members:
            age = person.age()
            if alone and age >= 60:
                person.tags.append(("registry.living_alone", {}))
                if age >= 80:
                    person.tags.append(("registry.key_care", {}))
                if rng.random() < 0.03:
                    person.tags.append(("registry.tekun", {}))
            if rng.random() < (0.11 if age >= 60 else 0.045):
                grade = rng.choice((1, 2, 3, 4))
                person.tags.append(
                    ("registry.disability", {"category": rng.choice(DISABILITY_CATEGORIES), "grade": grade})
                )
            if dibao:
                person.tags.append(("registry.dibao", {}))
            if age >= 18 and rng.random() < 0.085:
                person.tags.append(("registry.party_member", {}))
            if person.sex == "M" and age >= 22 and rng.random() < 0.028:
                person.tags.append(("registry.veteran", {}))
            if age < 18 and rng.random() < 0.02:
                person.tags.append(
                    (
                        "registry.unattended_child" if rng.random() < 0.7 else "registry.minor_in_difficulty",
                        {},
                    )
                )
