"""What a scenario declares beyond the domain contract: its key, names, the domain it serves, its
version and the platform versions it works with, and a typed settings schema with defaults.

    class LowIncomeConfig(ScenarioAppConfig):
        name = "scenarios.low_income"
        label = "low_income"                      # the scenario key
        names = {"zh-hans": "低收入人口动态监测预警", "en": "Low-income monitoring"}
        domain = "affairs"
        version = "1.0.0"
        platform_versions = ">=0.1,<1"
        settings_schema = (
            Setting("medical_bill_threshold", "decimal", default="20000", policy=True),
            Setting("recheck_grace_months", "integer", default=6, minimum=0, maximum=12),
        )

A broken declaration is a start-up error of the scenario: it is disabled, /readyz names it, and the
platform starts without it (core.extensions.registry).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.extensions.contributions import KEY_PATTERN

SETTING_TYPES = ("integer", "decimal", "boolean", "text", "choice")
# The version of the platform a scenario's `platform_versions` is checked against.
PLATFORM_VERSION_FALLBACK = "0.1.0"


@dataclass(frozen=True)
class Setting:
    """One setting of a scenario: typed, with a default; `policy` settings decide who gets help
    (thresholds) and are set at district level only (never overridden below)."""

    name: str
    type: str
    default: Any
    label: Any = ""
    policy: bool = False
    minimum: Any = None
    maximum: Any = None
    choices: tuple[str, ...] = ()

    def problems(self) -> list[str]:
        found = []
        if not KEY_PATTERN.match(self.name) or "." in self.name:
            found.append(f"setting {self.name!r}: a name is lowercase words joined by _")
        if self.type not in SETTING_TYPES:
            found.append(f"setting {self.name!r}: type must be one of {', '.join(SETTING_TYPES)}")
            return found
        if self.type == "choice" and not self.choices:
            found.append(f"setting {self.name!r}: a choice lists its choices")
        error = self.error(self.default)
        if error:
            found.append(f"setting {self.name!r}: its default {self.default!r} is refused: {error}")
        return found

    def clean(self, value: Any) -> Any:
        """The value in its type (JSON-safe: decimals as strings); ValueError with why not."""
        if self.type == "integer":
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise ValueError(_("A whole number is required."))
            try:
                value = int(value)
            except ValueError:
                raise ValueError(_("A whole number is required.")) from None
        elif self.type == "decimal":
            if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
                raise ValueError(_("A number is required (give decimals as text)."))
            try:
                value = Decimal(str(value))
            except InvalidOperation:
                raise ValueError(_("A number is required (give decimals as text).")) from None
            if not value.is_finite():
                raise ValueError(_("A number is required (give decimals as text)."))
        elif self.type == "boolean":
            if not isinstance(value, bool):
                raise ValueError(_("true or false is required."))
        elif self.type in ("text", "choice"):
            if not isinstance(value, str) or len(value) > 200:
                raise ValueError(_("A text of at most 200 characters is required."))
            if self.type == "choice" and value not in self.choices:
                raise ValueError(_("Not one of the choices."))
        if self.minimum is not None and value < type(value)(self.minimum):
            raise ValueError(_("Below the smallest value allowed."))
        if self.maximum is not None and value > type(value)(self.maximum):
            raise ValueError(_("Above the largest value allowed."))
        return str(value) if isinstance(value, Decimal) else value

    def error(self, value: Any) -> str:
        try:
            self.clean(value)
        except ValueError as exc:
            return str(exc)
        return ""

    def typed(self, stored: Any) -> Any:
        """A stored (JSON) value back in its type: decimals as Decimal."""
        return Decimal(stored) if self.type == "decimal" else stored


def platform_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("smartcommunity")
    except PackageNotFoundError:
        return PLATFORM_VERSION_FALLBACK


def contract_problems(config) -> list[str]:
    """What is wrong with a scenario's declaration; checked when it starts (and it is disabled)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    if not all(hasattr(config, name) for name in ("names", "settings_schema", "platform_versions")):
        return ["a scenario's config subclasses core.extensions.ScenarioAppConfig"]
    found = []
    if not KEY_PATTERN.match(config.label) or "." in config.label:
        found.append(f"the app label {config.label!r} (the scenario key) is lowercase words joined by _")
    if not config.names.get("zh-hans") or not config.names.get("en"):
        found.append('names gives the scenario\'s name in "zh-hans" and in "en"')
    if not config.domain:
        found.append("domain (the domain the scenario serves) is required")
    try:
        Version(config.version)
    except InvalidVersion:
        found.append(f"version {config.version!r} is not a version (e.g. 1.0.0)")
    try:
        compatible = SpecifierSet(config.platform_versions)
    except InvalidSpecifier:
        found.append(f"platform_versions {config.platform_versions!r} is not a version range (e.g. >=0.1,<1)")
    else:
        if not config.platform_versions:
            found.append("platform_versions (the platform versions it works with) is required")
        elif platform_version() not in compatible:
            found.append(
                f"it works with platform versions {config.platform_versions}, "
                f"and this platform is {platform_version()}"
            )
    if config.api_prefix and config.api_prefix != f"scenarios/{config.label}":
        found.append(f"its API is served at scenarios/{config.label}, not {config.api_prefix}")
    names = [s.name for s in config.settings_schema]
    if len(names) != len(set(names)):
        found.append("a setting is declared twice")
    for setting in config.settings_schema:
        found.extend(setting.problems())
    return found
