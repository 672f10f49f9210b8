"""Make the built-in .docx templates of the printable forms (审批表 and 告知书).

    .venv/bin/python -m affairs.forms.make_templates [folder]

writes approval.docx and notice.docx (into affairs/forms/templates by default). They are ordinary
Word documents holding docxtpl (Jinja) tags: a deployment may open them in Word, change the
wording, the letterhead or the layout, keep the {{ tags }}, and point AFFAIRS_FORM_TEMPLATES_DIR
at the folder holding its own copies. Row loops use `{%tr … %}` in a row of their own and
paragraph conditions `{%p … %}` in a paragraph of their own (docxtpl's syntax); the variables
each template receives are listed in affairs/forms/context.py.

The wording is the documents' own (official forms are Chinese), not interface text: it is not
translated; the values filled in (stages, step names) are.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

HERE = Path(__file__).resolve().parent / "templates"


def _title(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(16)


def _pairs(document, rows: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value


def _loop_table(document, headers: list[str], loop: str, cells: list[str]) -> None:
    """A table with a header row and one row repeated per element (`{%tr for … %}`)."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    table.add_row().cells[0].text = "{%tr for " + loop + " %}"
    for cell, value in zip(table.add_row().cells, cells, strict=True):
        cell.text = value
    table.add_row().cells[0].text = "{%tr endfor %}"


def approval() -> Document:
    document = Document()
    _title(document, "{{ item }}审批表")
    document.add_paragraph("编号：{{ number }}　　申请日期：{{ applied_on }}　　打印日期：{{ printed_on }}")
    _pairs(
        document,
        [
            ("申请事项", "{{ item }}"),
            ("家庭住址", "{{ address }}"),
            ("申请人", "{{ applicant_name }}"),
            ("身份证件号码", "{{ applicant_id_number }}"),
            ("城乡类别", "{{ area }}"),
            ("申请方式", "{{ channel }}{% if on_behalf %}（代办）{% endif %}"),
        ],
    )
    document.add_heading("家庭成员及收入", level=2)
    _loop_table(
        document,
        ["姓名", "月收入（元）", "劳动能力", "重病", "重度残疾", "纳入保障"],
        "m in members",
        [
            "{{ m.name }}",
            "{{ m.monthly_income }}",
            "{{ m.able_to_work }}",
            "{{ m.seriously_ill }}",
            "{{ m.severely_disabled }}",
            "{{ m.covered }}",
        ],
    )
    document.add_heading("家庭财产", level=2)
    _pairs(
        document,
        [
            ("金融资产（元）", "{{ financial_assets }}"),
            ("非生活必需车辆（辆）", "{{ vehicles }}"),
            ("居住用房以外的房产（套）", "{{ extra_houses }}"),
        ],
    )
    document.add_heading("核对结果", level=2)
    _pairs(
        document,
        [
            ("适用标准", "{{ standard }}"),
            ("家庭人均月收入（元）", "{{ per_capita_income }}"),
            ("核定金额（元）", "{{ amount }}"),
            ("核对结论", "{{ eligible }}"),
            ("说明", "{{ reasons }}"),
        ],
    )
    document.add_heading("办理过程", level=2)
    _loop_table(
        document,
        ["环节", "办理人", "日期", "意见"],
        "s in steps",
        ["{{ s.step }}", "{{ s.actor }}", "{{ s.date }}", "{{ s.note }}"],
    )
    document.add_heading("审批结果", level=2)
    _pairs(
        document,
        [
            ("当前状态", "{{ stage }}"),
            ("审批决定", "{{ decision }}"),
            ("决定日期", "{{ decided_on }}"),
            ("理由", "{{ decision_note }}"),
        ],
    )
    return document


def notice() -> Document:
    document = Document()
    add = document.add_paragraph
    add("{%p if notice == 'supplement' %}")
    _title(document, "一次性告知书")
    add("{{ applicant_name }}：")
    add("您申请的“{{ item }}”（编号 {{ number }}）材料不齐全，请一次性补正以下材料：")
    add("{%p for m in missing %}")
    add("{{ loop.index }}. {{ m }}")
    add("{%p endfor %}")
    add("补齐后请上传或送至社区，审批期限自补齐之日起继续计算。")
    add("{%p elif notice == 'rejected' %}")
    _title(document, "不予批准告知书")
    add("{{ applicant_name }}：")
    add("您申请的“{{ item }}”（编号 {{ number }}）经审核，决定不予批准。")
    add("理由：{{ decision_note }}")
    add("如对本决定有异议，可依法申请行政复议或者提起行政诉讼。")
    add("{%p elif notice == 'approved' %}")
    _title(document, "批准通知书")
    add("{{ applicant_name }}：")
    add("您申请的“{{ item }}”（编号 {{ number }}）经审核，决定予以批准。")
    add("{%p if monthly_amount %}")
    add("每月金额：{{ monthly_amount }} 元，自 {{ starts_on }} 起发放。")
    add("{%p endif %}")
    add("{%p if one_off_amount %}")
    add("一次性金额：{{ one_off_amount }} 元。")
    add("{%p endif %}")
    add("家庭人口、收入、财产状况发生变化时，请及时告知社区。")
    add("{%p else %}")
    _title(document, "受理通知书")
    add("{{ applicant_name }}：")
    add("您于 {{ applied_on }} 申请的“{{ item }}”（编号 {{ number }}）已收到，当前环节：{{ stage }}。")
    add("办理期限为 {{ time_limit }} 个工作日，结果将以书面形式告知。")
    add("{%p endif %}")
    add("{{ office }}")
    add("{{ printed_on }}")
    return document


def main(folder: Path = HERE) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    approval().save(folder / "approval.docx")
    notice().save(folder / "notice.docx")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
