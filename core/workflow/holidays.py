"""The statutory holidays of a year, computed from the rules in force, for a year whose official
schedule is not published yet (the State Council publishes each year's in November).

Rules: 全国年节及纪念日放假办法 (2025 revision), art. 2: New Year's Day (1 January); the Spring
Festival from its eve (农历除夕) to the third day of the first lunar month (初三); Qingming (the
day of the solar term 清明); Labour Day (1–2 May); the Dragon Boat Festival (端午, 5/5 lunar);
the Mid-Autumn Festival (中秋, 8/15 lunar); National Day (1–3 October). Art. 6: a holiday of all
citizens that falls on a Saturday or Sunday is made up on a working day (补假); here, the
first weekdays after the holiday.

What cannot be computed is left out: the working weekends swapped to join a holiday to a
weekend (调休) are decided each year, so an estimated year keeps every weekend as a rest day.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar, Solar


def _lunar(year: int, month: int, day: int) -> date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> date:
    solar = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _span(first: date, days: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(days)]


def statutory_holidays(year: int) -> list[tuple[str, list[date]]]:
    """Each holiday of the year with its days, in the year's order."""
    new_year = _lunar(year, 1, 1)
    return [
        ("元旦", [date(year, 1, 1)]),
        ("春节", _span(new_year - timedelta(days=1), 4)),  # 除夕 to 初三
        ("清明节", [_qingming(year)]),
        ("劳动节", _span(date(year, 5, 1), 2)),
        ("端午节", [_lunar(year, 5, 5)]),
        ("中秋节", [_lunar(year, 8, 15)]),
        ("国庆节", _span(date(year, 10, 1), 3)),
    ]


@lru_cache(maxsize=32)
def estimated_rest_days(year: int) -> dict[date, str]:
    """The days of `year` that are holidays by the rules alone, with the weekdays that make up
    for a holiday on a weekend (weekends are rest days anyway)."""
    rest: dict[date, str] = {}
    for name, days in statutory_holidays(year):
        for day in days:
            rest[day] = name
    for name, days in statutory_holidays(year):
        owed = sum(day.weekday() >= 5 for day in days)
        day = days[-1]
        while owed:
            day += timedelta(days=1)
            if day.weekday() < 5 and day not in rest:
                rest[day] = f"{name}补假"
                owed -= 1
    return rest
