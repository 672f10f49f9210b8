"""The default checklist items of the six hazard kinds: data, ended and replaced by the district
when its own rules differ (never edited in place). Installed by a migration and again by the demo
loader, since a database emptied by a flush (a transactional test) no longer has them."""

from datetime import date

DEFAULTS = [
    ("fire", "fire_extinguisher", "灭火器在有效期内并放置在明显位置"),
    ("fire", "fire_passage", "消防车通道畅通，无占用"),
    ("gas", "gas_hose", "燃气软管无老化、无破损，长度不超过2米"),
    ("gas", "gas_alarm", "餐饮场所安装可燃气体报警装置"),
    ("ebike", "ebike_indoor_charging", "无电动自行车进楼入户、飞线充电"),
    ("ebike", "ebike_parking", "电动自行车在集中充电停放场所停放"),
    ("wiring", "wiring_aging", "电气线路无老化、无私拉乱接"),
    ("wiring", "wiring_overload", "无大功率电器超负荷使用"),
    ("exits", "exit_blocked", "安全出口、疏散通道无堵塞、无锁闭"),
    ("exits", "exit_signs", "应急照明和疏散指示标志完好"),
    ("falling", "falling_objects", "阳台、窗台无易坠落物品"),
    ("falling", "falling_facade", "外墙装饰、广告牌牢固"),
]


def install(ChecklistItem) -> None:
    since = date(2024, 1, 1)
    for kind, code, text in DEFAULTS:
        ChecklistItem.objects.get_or_create(
            code=code, effective_to=None, defaults={"kind": kind, "text": text, "effective_from": since}
        )
