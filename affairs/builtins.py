"""The built-in service items and the default assistance standards.

Defaults come from the source article (../shared/seed, 第一篇): 低保 742 yuan per person per
month (2021, urban and rural unified), review and confirmation of 低保/特困 at the street or town
(镇街), 20 working days, 特困 support for minors up to 18, seriously ill or severely disabled
members of low-income families counted as single-person households. Figures the article does not
give (特困 at 1.3 × 低保, the subsidies, the age bands) are marked as illustrative: a deployment
enters its own standards (per district, urban or rural, with dates) and they take precedence.

`install(ServiceItem, RequiredMaterial, AssistanceStandard)` takes the model classes so the data
migration can pass its historical models; it adds what is missing and never overwrites what a
deployment has configured.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

COMMUNITY, STREET, DISTRICT = 4, 3, 2  # core.regions.models.Region.Level

ID_CARD = ("id_card", "申请人身份证件", True)
HUKOU = ("hukou", "户口簿", True)
AUTHORIZATION = ("authorization", "家庭经济状况核对授权书", True)

ITEMS = [
    {
        "code": "dibao",
        "name": "最低生活保障（低保）",
        "category": "social_assistance",
        "review_level": STREET,
        "confirm_level": STREET,
        "publicity_days": 7,
        "eligibility": "dibao",
        "benefit_tag": "registry.dibao",
        "recheck_months": 12,
        "materials": [
            ID_CARD,
            HUKOU,
            ("income_proof", "家庭成员收入证明", True),
            ("assets_declaration", "家庭财产申报表", True),
            AUTHORIZATION,
            ("medical_or_disability", "重病病历或残疾人证（单人户纳入时）", False),
        ],
    },
    {
        "code": "tekun",
        "name": "特困人员救助供养",
        "category": "social_assistance",
        "review_level": STREET,
        "confirm_level": STREET,
        "publicity_days": 7,
        "eligibility": "tekun",
        "benefit_tag": "registry.tekun",
        "recheck_months": 12,
        "materials": [
            ID_CARD,
            HUKOU,
            ("no_supporter_proof", "无赡养、抚养、扶养义务人或其无能力的证明", True),
            AUTHORIZATION,
        ],
    },
    {
        "code": "temporary",
        "name": "临时救助",
        "category": "social_assistance",
        "review_level": STREET,
        "confirm_level": STREET,
        "eligibility": "temporary",
        "materials": [
            ID_CARD,
            ("hardship_proof", "困难情况说明及证明", True),
            ("bills", "医疗等支出票据", False),
        ],
    },
    {
        "code": "disability_living",
        "name": "困难残疾人生活补贴",
        "category": "disability",
        "review_level": STREET,
        "confirm_level": DISTRICT,
        "eligibility": "disability_living",
        "benefit_tag": "affairs.disability_living_subsidy",
        "recheck_months": 12,
        "materials": [ID_CARD, ("disability_certificate", "残疾人证", True)],
    },
    {
        "code": "disability_care",
        "name": "重度残疾人护理补贴",
        "category": "disability",
        "review_level": STREET,
        "confirm_level": DISTRICT,
        "eligibility": "disability_care",
        "benefit_tag": "affairs.disability_care_subsidy",
        "recheck_months": 12,
        "materials": [ID_CARD, ("disability_certificate", "残疾人证", True)],
    },
    {
        "code": "longevity",
        "name": "高龄津贴",
        "category": "elderly",
        "review_level": STREET,
        "confirm_level": STREET,
        "eligibility": "longevity",
        "benefit_tag": "affairs.longevity_allowance",
        "recheck_months": 12,
        "materials": [ID_CARD, HUKOU],
    },
    {
        "code": "orphan",
        "name": "孤儿认定",
        "category": "minors",
        "review_level": STREET,
        "confirm_level": DISTRICT,
        "reach": "cross_province",
        "eligibility": "orphan",
        "benefit_tag": "registry.orphan",
        "recheck_months": 12,
        "materials": [
            ("child_hukou", "儿童户口簿或身份证件", True),
            ("parents_status_proof", "父母死亡或宣告失踪证明", True),
            ("guardian_id", "监护人身份证件", True),
        ],
    },
    {
        "code": "unattended_child",
        "name": "事实无人抚养儿童认定",
        "category": "minors",
        "review_level": STREET,
        "confirm_level": DISTRICT,
        "reach": "cross_province",
        "eligibility": "unattended_child",
        "benefit_tag": "registry.unattended_child",
        "recheck_months": 12,
        "materials": [
            ("child_hukou", "儿童户口簿或身份证件", True),
            ("parents_status_proof", "父母重残、重病、服刑、失联等情况证明", True),
            ("guardian_id", "监护人身份证件", True),
        ],
    },
]

SINCE_2021 = date(2021, 1, 1)
ARTICLE = "芜湖市民政局《“数”说民政这一年》(2021)"
ILLUSTRATIVE = "示例值，请按本地文件配置"
STANDARDS = [
    # kind, amount, parameters, source
    ("dibao", Decimal("742"), {"asset_months": 24, "low_income_factor": "1.5"}, ARTICLE),
    ("tekun", Decimal("965"), {"support_age": 18}, ARTICLE + "；金额为低保标准×1.3，" + ILLUSTRATIVE),
    ("temporary", Decimal("742"), {"max_months": 6}, ILLUSTRATIVE),
    ("disability_living", Decimal("80"), {}, ILLUSTRATIVE),
    ("disability_care", Decimal("80"), {"grades": [1, 2]}, ILLUSTRATIVE),
    ("longevity", Decimal("0"), {"bands": {"80": "50", "90": "100", "100": "300"}}, ILLUSTRATIVE),
    ("orphan", Decimal("1100"), {"adult_age": 18}, ILLUSTRATIVE),
    ("unattended_child", Decimal("1100"), {"adult_age": 18}, ILLUSTRATIVE),
]


def install(ServiceItem, RequiredMaterial, AssistanceStandard) -> None:
    for spec in ITEMS:
        spec = dict(spec)
        materials = spec.pop("materials")
        item, created = ServiceItem.objects.get_or_create(
            code=spec["code"], defaults={**spec, "built_in": True, "receive_level": COMMUNITY}
        )
        if created:
            RequiredMaterial.objects.bulk_create(
                RequiredMaterial(item=item, code=code, name=name, mandatory=mandatory, order=order)
                for order, (code, name, mandatory) in enumerate(materials)
            )
    for kind, amount, parameters, source in STANDARDS:
        AssistanceStandard.objects.get_or_create(
            region=None,
            kind=kind,
            area="any",
            effective_from=SINCE_2021,
            defaults={"amount": amount, "parameters": parameters, "source": source},
        )
