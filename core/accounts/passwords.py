"""Password rules beyond Django's: community-specific words, 等保 character classes, rotation."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as django_cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WORDS_FILE = Path(__file__).parent / "data" / "community_words.txt"
_REGION_SUFFIXES = re.compile(r"(社区|居委会|村委会|街道|镇|乡|区|县|市|村|网格)$")
_REGION_WORDS_CACHE_KEY = "accounts:password:region-words"
_MIN_WORD_LENGTH = 4


@cache
def listed_words() -> frozenset[str]:
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def region_words() -> frozenset[str]:
    """The names of the places in the region tree, in pinyin without their suffix (青山街道 → qingshan)."""
    words = django_cache.get(_REGION_WORDS_CACHE_KEY)
    if words is None:
        from pypinyin import lazy_pinyin

        from core.regions.models import Region

        names = Region.objects.filter(level__lte=Region.Level.COMMUNITY).values_list("name", flat=True)
        words = {"".join(lazy_pinyin(_REGION_SUFFIXES.sub("", name))).lower() for name in names}
        words = frozenset(w for w in words if len(w) >= _MIN_WORD_LENGTH and w.isascii())
        django_cache.set(_REGION_WORDS_CACHE_KEY, words, 3600)
    return words


class CommunityWordsValidator:
    """Refuses a password that contains a common or community-specific word (wuhu, shequ, 123456…)."""

    def __init__(self, extra_words: list[str] | None = None) -> None:
        self.extra_words = frozenset(w.lower() for w in extra_words or ())

    def validate(self, password: str, user=None) -> None:
        lowered = password.lower()
        for word in sorted(listed_words() | self.extra_words | region_words(), key=len, reverse=True):
            if word in lowered:
                raise ValidationError(
                    _("The password contains “%(word)s”, a word too easy to guess here."),
                    code="password_community_word",
                    params={"word": word},
                )

    def get_help_text(self) -> str:
        return _("Your password cannot contain common words or the names of places around you.")


CHARACTER_CLASSES = (
    re.compile(r"[a-z]"),
    re.compile(r"[A-Z]"),
    re.compile(r"[0-9]"),
    re.compile(r"[^a-zA-Z0-9]"),
)


class CharacterClassesValidator:
    """等保 2.0 level 3: at least three of lowercase, uppercase, digits and symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if sum(1 for pattern in CHARACTER_CLASSES if pattern.search(password)) < self.min_classes:
            raise ValidationError(
                ngettext(
                    "The password must mix at least %(count)d kind of character "
                    "(lowercase, uppercase, digits, symbols).",
                    "The password must mix at least %(count)d kinds of characters "
                    "(lowercase, uppercase, digits, symbols).",
                    self.min_classes,
                ),
                code="password_character_classes",
                params={"count": self.min_classes},
            )

    def get_help_text(self) -> str:
        return _("Your password must mix lowercase and uppercase letters, digits and symbols.")


def password_expired(user) -> bool:
    """Older than PASSWORD_MAX_AGE_DAYS (set by SECURITY_DENGBAO_LEVEL3); never without a limit."""
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    if not max_age or not user.has_usable_password():
        return False
    changed = user.password_changed_at or user.date_joined
    return timezone.now() - changed > timedelta(days=max_age)


def password_change_due(user) -> bool:
    return bool(user.must_change_password) or password_expired(user)
