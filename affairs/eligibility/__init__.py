"""Eligibility of applications for the built-in social-assistance items, against standards that
are data (per district or county, urban or rural, with effective dates)."""

from affairs.eligibility.details import clean_details
from affairs.eligibility.evaluate import CHECKS, evaluate
from affairs.eligibility.standards import standard_for

__all__ = ["CHECKS", "clean_details", "evaluate", "standard_for"]
