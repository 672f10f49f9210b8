"""The tables of community services, one module per subject."""

from services.models.homecare import HomeOrder, HomeService, Provider, ProviderStaff, Visit
from services.models.meals import MealPoint, MealRecord, MealSettlement, MealSubsidyRule, SettlementLine
from services.models.retrofits import ResubsidyRule, Retrofit, RetrofitStage
from services.models.social import (
    CaseEntry,
    DirectoryEntry,
    ServiceRequest,
    SocialCase,
    SocialWorker,
    Station,
)
from services.models.venues import Activity, ActivitySignup, Booking, Room
from services.models.volunteers import (
    HoursEntry,
    ServiceProject,
    Signup,
    Team,
    TimeBank,
    TimeBankWithdrawal,
    Volunteer,
)

__all__ = [
    "Activity",
    "ActivitySignup",
    "Booking",
    "CaseEntry",
    "DirectoryEntry",
    "HomeOrder",
    "HomeService",
    "HoursEntry",
    "MealPoint",
    "MealRecord",
    "MealSettlement",
    "MealSubsidyRule",
    "Provider",
    "ProviderStaff",
    "ResubsidyRule",
    "Retrofit",
    "RetrofitStage",
    "Room",
    "ServiceProject",
    "ServiceRequest",
    "SettlementLine",
    "Signup",
    "SocialCase",
    "SocialWorker",
    "Station",
    "Team",
    "TimeBank",
    "TimeBankWithdrawal",
    "Visit",
    "Volunteer",
]
