"""The columns of the resident register workbook: the import template, the error report and the export.

The headers and the labels of coded values (证件类型, 性别 …) are the file format community workers
fill in, so they are fixed Chinese strings, not translated UI text: a workbook exported or
downloaded in English must import the same. Columns are matched by header, in any order;
unknown columns (such as the report's 行号 and 错误原因) are ignored, so a corrected error
report can be uploaded again.
"""

from __future__ import annotations

from dataclasses import dataclass

SHEET_TITLE = "居民信息"
GUIDE_SHEET_TITLE = "填写说明"
REPORT_SHEET_TITLE = "错误报告"
ROW_NUMBER_HEADER = "行号"
ERROR_HEADER = "错误原因"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    width: int = 14
    guide: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", required=True, width=10, guide="必填，不超过50个字。"),
    Column("document_type", "证件类型", width=16, guide="不填即为居民身份证。"),
    Column(
        "document_number", "证件号码", width=22, guide="18位身份证号码，请设置为文本格式，以免末位变为0。"
    ),
    Column("birth_date", "出生日期", width=12, guide="格式如 1990-01-31；身份证号码已含出生日期，可不填。"),
    Column("sex", "性别", width=6, guide="男或女；身份证号码已含性别，可不填。"),
    Column("ethnicity", "民族", width=8),
    Column("mobile", "手机号码", width=14, guide="11位大陆手机号码。"),
    Column("landline", "固定电话", width=16, guide="带区号，如 0553-1234567。"),
    Column("residence_type", "居住类型", width=10, guide="户籍、常住或流动；不填即为户籍。"),
    Column("house", "房屋编号", width=10, guide="系统中的房屋编号；与房屋地址二选一。"),
    Column("house_address", "房屋地址", width=30, guide="与系统中的房屋地址完全一致。"),
    Column("grid", "网格", width=12, guide="网格名称，如 第1网格；没有房屋时必填。"),
    Column("household_number", "户号", width=12, guide="同一户号的居民归为一户；新户号即新建一户。"),
    Column("relation", "与户主关系", width=12, guide="本人、配偶、子女、父母等；户主填“本人”。"),
    Column("registered_address", "户籍地址", width=30),
    Column("moved_in_on", "迁入日期", width=12, guide="格式如 2020-05-01。"),
    Column("note", "备注", width=20),
)
COLUMNS_BY_HEADER = {column.header: column for column in COLUMNS}
REQUIRED_HEADERS = tuple(column.header for column in COLUMNS if column.required)
HEADERS = {column.key: column.header for column in COLUMNS}

DOCUMENT_TYPES = {
    "居民身份证": "id_card",
    "身份证": "id_card",
    "港澳居民来往内地通行证": "hk_macao_permit",
    "台湾居民来往大陆通行证": "taiwan_permit",
    "外国人永久居留身份证": "foreign_permanent",
    "护照": "passport",
    "出生医学证明": "birth_certificate",
    "无证件": "none",
}
SEXES = {"男": "M", "女": "F"}
RESIDENCE_TYPES = {"户籍": "registered", "常住": "permanent", "流动": "floating"}
RELATIONS = {
    "本人": "self",
    "户主": "self",
    "配偶": "spouse",
    "子女": "child",
    "子": "child",
    "女": "child",
    "父母": "parent",
    "父亲": "parent",
    "母亲": "parent",
    "孙子女": "grandchild",
    "祖父母": "grandparent",
    "外祖父母": "grandparent",
    "兄弟姐妹": "sibling",
    "儿媳女婿": "child_in_law",
    "儿媳": "child_in_law",
    "女婿": "child_in_law",
    "租户": "tenant",
    "其他": "other",
}


def label_of(mapping: dict[str, str], value: str) -> str:
    """The first (canonical) label of a coded value, for the export."""
    return next((label for label, code in mapping.items() if code == value), value)
