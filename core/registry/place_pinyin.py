"""Hanyu Pinyin of a place name by the rules for place names.

Sources: GB 17733-2008《地名 标牌 城乡》and《中国地名汉语拼音字母拼写规则（汉语地名部分）》(1984):
- the proper name (专名) and the generic part (通名) are written as separate words, each with a
  capital first letter: 滨江路 → "Binjiang Lu", 滨江大道 → "Binjiang Dadao";
- a one-syllable modifier of the generic part (a direction or size: 东, 北, 大, 小 …) is joined
  to it: 中山东路 → "Zhongshan Donglu", 银湖北路 → "Yinhu Beilu";
- a name without a generic part is one word: 周口店 → "Zhoukoudian";
- no tone marks; ü stays ü (女儿街 → "Nü'er Jie");
- a syllable beginning with a, o or e inside a word takes the apostrophe: 西安路 → "Xi'an Lu";
- digits and Latin letters pass through unchanged.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

# Generic parts (通名) of the names a community keeps, longest first so that 大街 wins over 街.
_GENERIC_WORDS = (
    "路 街 大街 大道 道 巷 胡同 弄 里 坊 港 桥 广场 公园 小区 花园 新村 家园 苑 园 庭 府 城 村 庄 社区 "
    "大厦 中心 楼 公寓 湾 湖 山 河 区 镇 乡 街道"
)
GENERIC_PARTS = sorted(_GENERIC_WORDS.split(), key=len, reverse=True)
# One-syllable modifiers joined to the generic part that follows them (1984 rules, 1.2).
GENERIC_MODIFIERS = set("东西南北中上下前后内外大小新老正横")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _syllables(text: str) -> list[str]:
    return lazy_pinyin(text, style=Style.NORMAL, v_to_u=True, errors=lambda chars: list(chars))


def _word(text: str) -> str:
    """One written word: syllables joined, apostrophe before an inner a/o/e, capitalised."""
    out = ""
    for syllable in _syllables(text):
        if out and syllable[:1] in ("a", "o", "e") and out[-1].isalpha():
            out += "'"
        out += syllable
    return out[:1].upper() + out[1:]


def split_generic(name: str) -> tuple[str, str]:
    """(proper name, generic part with its one-syllable modifier); ("周口店", "") when none."""
    for generic in GENERIC_PARTS:
        if name.endswith(generic) and len(name) > len(generic):
            proper = name[: -len(generic)]
            if len(proper) > 2 and proper[-1] in GENERIC_MODIFIERS:
                return proper[:-1], proper[-1] + generic
            return proper, generic
    return name, ""


def place_name_pinyin(name: str) -> str:
    """The romanized name: 滨江路 → "Binjiang Lu"; empty for an empty name."""
    name = "".join(name.split())
    if not name:
        return ""
    if not _HAN.search(name):
        return name
    proper, generic = split_generic(name)
    return " ".join(_word(part) for part in (proper, generic) if part)[:255]


def search_key(text: str) -> str:
    """What a search compares: lower case, without spaces and apostrophes ("binjianglu"); ü and
    the v typed for it both read as u, so "nuer", "nver" and "nüer" all find 女儿街."""
    return re.sub(r"[\s']", "", text).lower().replace("ü", "u").replace("v", "u")[:255]
