"""一册: the deputy's file as Word and PDF, opened and read back, Chinese text intact."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from liaison.archives.tests.conftest import YEAR
from liaison.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

EXPECTED = ["张代表代表履职档案", "代表职务与届次", "老旧小区加装电梯调研", "预算审查监督专题培训",
            "菜市场周边占道经营", "桃花岭社区网格", "履职积分", "述职评议", "暂无"]  # fmt: skip


def pdf_text(content: bytes, tmp_path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: apt-get install poppler-utils")
    source = tmp_path / "file.pdf"
    source.write_bytes(content)
    done = subprocess.run(
        ["pdftotext", str(source), "-"], capture_output=True, text=True, check=True
    )
    return "".join(done.stdout.split())  # table cells wrap: compare without white space


def test_word_file_reads_back_in_chinese(filed: Any, county_staff: Any, as_user: Any) -> None:
    from docx import Document as WordDocument

    url = reverse("archives:file_docx", args=[filed.deputy.pk])
    response = as_user(county_staff).get(url, {"year": YEAR})
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    word = WordDocument(io.BytesIO(response.content))
    text = "\n".join(p.text for p in word.paragraphs)
    text += "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    for expected in EXPECTED:
        assert expected in text
    assert "前年的河道巡查" not in text and "13812345678" not in text
    assert AuditEvent.objects.filter(action="export", note__contains="代表履职档案").exists()


def test_pdf_file_reads_back_in_chinese(
    filed: Any, county_staff: Any, as_user: Any, tmp_path: Path
) -> None:
    url = reverse("archives:file_pdf", args=[filed.deputy.pk])
    response = as_user(county_staff).get(url, {"year": YEAR})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    for expected in EXPECTED:
        assert expected in text
    assert "13812345678" not in text and "138****5678" in text
