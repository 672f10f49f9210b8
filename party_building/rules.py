"""The rules party building applies, with their sources; configurable ones are defaults."""

from __future__ import annotations

from datetime import date, timedelta

from party_building.models.life import MeetingKind
from party_building.models.organizations import OrganizationKind

# 《中国共产党支部工作条例（试行）》(2018): a branch is set up where there are at least 3 full
# members; a branch of 7 or more full members sets up a branch committee (支委会);
# a branch of more than 50 members is divided (or becomes a general branch).
BRANCH_MIN_FULL_MEMBERS = 3
BRANCH_COMMITTEE_FROM = 7
BRANCH_SPLIT_ABOVE = 50
# A committee (支委会) is "full" with at least 3 members in office (it has 3 to 5 members).
COMMITTEE_MIN_OFFICERS = 3
# Terms: a branch's committee 3 years, a community party committee 5 years
# (支部工作条例; 中国共产党基层组织选举工作条例).
TERM_YEARS = {OrganizationKind.BRANCH: 3, OrganizationKind.GENERAL_BRANCH: 3, OrganizationKind.COMMITTEE: 5}
# 《中国共产党章程》art. 7: the probation is one year.
PROBATION_YEARS = 1

# 三会一课 (支部工作条例): branch committee and party group monthly, general meeting and
# party lesson quarterly; 主题党日 monthly. Offices set their own (MeetingFrequency rows).
DEFAULT_EVERY_MONTHS = {
    MeetingKind.COMMITTEE_MEETING: 1,
    MeetingKind.GROUP_MEETING: 1,
    MeetingKind.GENERAL_MEETING: 3,
    MeetingKind.PARTY_LESSON: 3,
    MeetingKind.THEME_DAY: 1,
}
# Which meetings each kind of organization owes; a branch owes committee meetings only while
# it has a committee in office.
MEETINGS_OWED = {
    OrganizationKind.BRANCH: (
        MeetingKind.GENERAL_MEETING,
        MeetingKind.COMMITTEE_MEETING,
        MeetingKind.PARTY_LESSON,
        MeetingKind.THEME_DAY,
    ),
    OrganizationKind.GROUP: (MeetingKind.GROUP_MEETING,),
}
# A reminder goes out this many days before a meeting falls due.
REMIND_DAYS_BEFORE = 7


def years_after(day: date, years: int) -> date:
    """The same day `years` later (28 February for a 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def period_of(day: date, every_months: int) -> tuple[date, date]:
    """The period (first day, last day) containing `day`, periods of `every_months` counted from
    January (a year's last period ends on 31 December)."""
    every = max(1, min(12, every_months))
    first_month = (day.month - 1) // every * every + 1
    start = date(day.year, first_month, 1)
    end_month = first_month + every
    end = date(day.year + 1, 1, 1) if end_month > 12 else date(day.year, end_month, 1)
    return start, end - timedelta(days=1)


# 《中国共产党章程》art. 9: a member who, without good reason, pays no dues for six consecutive
# months is regarded as having given up membership (自行脱党); the branch must act, so such a
# member is flagged. Dues may be paid ahead, up to a year.
DUES_LAPSE_MONTHS = 6
DUES_PREPAY_MONTHS = 12


def month_of(day: date) -> date:
    return day.replace(day=1)


def months_later(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)
