"""Helpers of the affairs tests: multipart submissions, material files, reading a .docx."""

from __future__ import annotations

import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

PDF = b"%PDF-1.4\n% test material\n"


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def multipart(payload: dict, files: dict[str, list]) -> dict:
    body = {"payload": json.dumps(payload, ensure_ascii=False, default=str)}
    for code, uploads in files.items():
        body[f"materials.{code}"] = uploads
    return body


def low_income_members(world, *incomes) -> list[dict]:
    people = [world.applicant, world.spouse, world.child]
    return [{"resident": p.pk, "monthly_income": str(i)} for p, i in zip(people, incomes, strict=False)]


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a .docx, one per line."""
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)
