from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from liaison.regions.importing import RegionImportError, normalize_code, regions_import
from liaison.regions.models import Region
from liaison.regions.tests.factories import require_hunan_csv

pytestmark = pytest.mark.django_db

HEADER = "code,name,parent_code,level\n"


def test_normalize_code() -> None:
    assert normalize_code("43") == "430000000000"
    assert normalize_code("430104002") == "430104002000"
    assert normalize_code("430104002000") == "430104002000"
    for bad in ("4301x", "4", "4301040", "４３", ""):
        assert normalize_code(bad) is None


def test_the_real_file_imports_idempotently(hunan: None) -> None:
    # Loaded once for the test database; a second import changes nothing.
    result = regions_import(text=require_hunan_csv().read_text(encoding="utf-8"))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2157)
    assert Region.objects.count() == 2157


def test_new_village_under_an_existing_township(hunan: None) -> None:
    result = regions_import(text=HEADER + "430104002001,桃花岭社区,430104002,village\n")
    assert result.created == 1
    assert Region.objects.get(code="430104002001").parent_id == "430104002000"


def test_rename_is_an_update(hunan: None) -> None:
    result = regions_import(text=HEADER + "430104,岳麓区（新）,4301,county\n")
    assert result.updated == 1
    assert Region.objects.get(code="430104000000").name == "岳麓区（新）"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("43010x,坏代码,4301,county\n", "区划代码无效"),
        ("430199,某区,4301,planet\n", "级别无效"),
        ("430199,,4301,county\n", "名称为空"),
        ("430199,某区,999999,county\n", "上级区划不存在"),
        ("440199,某区,4301,county\n", "与上级"),
        ("430199,某区,,county\n", "只有省级"),
        ("430199,甲,4301,county\n430199,乙,4301,county\n", "重复"),
        ("43019901,某区,4301,county\n", "区划代码无效"),
        ("430199,某区,430104002,county\n", "级别须低于上级"),
    ],
)
def test_bad_rows_are_reported_and_nothing_is_imported(
    hunan: None, rows: str, message: str
) -> None:
    good = "430104002001,好社区,430104002,village\n"
    before = Region.objects.count()
    with pytest.raises(RegionImportError) as exc:
        regions_import(text=HEADER + good + rows)
    assert any(message in str(e) for e in exc.value.errors), [str(e) for e in exc.value.errors]
    assert all("第" in str(e) and "行" in str(e) for e in exc.value.errors)
    assert Region.objects.count() == before


def test_missing_columns(hunan: None) -> None:
    with pytest.raises(RegionImportError, match="缺少列"):
        regions_import(text="code,name\n43,湖南省\n")


def test_command_reports_errors_and_fails(tmp_path: Path, hunan: None) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "43010x,坏,4301,county\n", encoding="utf-8")
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_regions", str(bad))
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_regions", str(tmp_path / "none.csv"))


def test_command_reads_gb18030_excel_exports(tmp_path: Path, hunan: None) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes((HEADER + "430104002002,银杉社区,430104002,village\n").encode("gb18030"))
    call_command("import_regions", str(path))
    assert Region.objects.filter(name="银杉社区").exists()


def test_build_fixture_command_writes_twelve_digit_codes(tmp_path: Path) -> None:
    out = tmp_path / "fixture.csv"
    call_command("build_region_fixture", str(require_hunan_csv()), output=out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "code,name,parent_code,level"
    assert lines[1] == "430000000000,湖南省,,province"
    assert len(lines) == 2158
    assert all(len(line.split(",")[0]) == 12 for line in lines[1:])


def test_shipped_fixture_matches_the_source(tmp_path: Path) -> None:
    out = tmp_path / "fixture.csv"
    call_command("build_region_fixture", str(require_hunan_csv()), output=out)
    shipped = Path(__file__).resolve().parents[1] / "fixtures" / "regions_hunan_2023.csv"
    assert out.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8")
