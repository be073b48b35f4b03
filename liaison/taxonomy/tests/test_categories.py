"""The category fixture and its import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from liaison.common.shared_data import shared_file
from liaison.taxonomy.categories import (
    FIXTURE_PATH,
    CategoryFileError,
    category_choices,
    read_fixture,
    rows_to_csv,
    taxonomy_to_rows,
)
from liaison.taxonomy.models import Category

TAXONOMY = (
    "level1,level2,level3\n"
    "城乡建设,安全生产,事故处理\n"
    "城乡建设,安全生产,安全隐患\n"
    "卫生计生,医疗服务,收费\n"
)


def test_taxonomy_rows_parents_first_without_duplicates() -> None:
    assert taxonomy_to_rows(TAXONOMY) == [
        ("城乡建设", 1),
        ("城乡建设/安全生产", 2),
        ("城乡建设/安全生产/事故处理", 3),
        ("城乡建设/安全生产/安全隐患", 3),
        ("卫生计生", 1),
        ("卫生计生/医疗服务", 2),
        ("卫生计生/医疗服务/收费", 3),
    ]


@pytest.mark.parametrize(
    "text",
    ["a,b,c\n1,2,3\n", "level1,level2,level3\n", "level1,level2,level3\n甲/乙,丙,丁\n"],
)
def test_bad_taxonomy_is_refused(text: str) -> None:
    with pytest.raises(CategoryFileError):
        taxonomy_to_rows(text)


def test_fixture_is_well_formed() -> None:
    rows = read_fixture()
    assert len(rows) > 500
    assert {level for _path, level in rows} == {1, 2, 3}
    assert len({path for path, _level in rows}) == len(rows)


def test_fixture_matches_the_shared_source() -> None:
    source = shared_file("teddy2020", "taxonomy.csv")
    if not source.is_file():
        pytest.skip("../shared is not available")
    expected = rows_to_csv(taxonomy_to_rows(source.read_text(encoding="utf-8")))
    assert FIXTURE_PATH.read_text(encoding="utf-8") == expected


def test_build_command_writes_the_fixture(tmp_path: Path) -> None:
    source = tmp_path / "taxonomy.csv"
    source.write_text(TAXONOMY, encoding="utf-8")
    output = tmp_path / "out.csv"
    call_command("build_category_fixture", str(source), output=str(output), verbosity=0)
    assert output.read_text(encoding="utf-8").splitlines()[:3] == [
        "path,level",
        "城乡建设,1",
        "城乡建设/安全生产,2",
    ]
    with pytest.raises(CommandError):
        call_command("build_category_fixture", str(tmp_path / "missing.csv"), output=str(output))


@pytest.mark.django_db
def test_import_is_idempotent_and_links_parents() -> None:
    call_command("import_categories", verbosity=0)
    count = Category.objects.count()
    assert count == len(read_fixture())
    call_command("import_categories", verbosity=0)
    assert Category.objects.count() == count
    leaf = Category.objects.get(path="城乡建设/安全生产/事故处理")
    assert leaf.region is None
    assert leaf.level == 3
    assert leaf.name == "事故处理"
    assert leaf.parent is not None
    assert leaf.parent.path == "城乡建设/安全生产"
    assert leaf.parent.parent is not None
    assert leaf.parent.parent.path == "城乡建设"
    assert not Category.objects.filter(level=1, parent__isnull=False).exists()
    assert not Category.objects.filter(level__gt=1, parent__isnull=True).exists()


@pytest.mark.django_db
def test_import_repairs_changed_rows(tmp_path: Path) -> None:
    call_command("import_categories", verbosity=0)
    Category.objects.filter(path="城乡建设/安全生产").update(name="错误", parent=None)
    call_command("import_categories", verbosity=0)
    node = Category.objects.get(path="城乡建设/安全生产")
    assert node.name == "安全生产"
    assert node.parent is not None


@pytest.mark.parametrize(
    "content",
    [
        "path,level\n城乡建设/安全生产,2\n",  # parent missing
        "path,level\n城乡建设,2\n",  # level does not match
        "path,level\n城乡建设,x\n",
    ],
)
@pytest.mark.django_db
def test_bad_fixture_imports_nothing(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_categories", str(bad), verbosity=0)
    assert Category.objects.count() == 0


@pytest.mark.django_db
def test_choices_group_level_two_under_level_one(django_assert_num_queries: Any) -> None:
    call_command("import_categories", verbosity=0)
    with django_assert_num_queries(1):
        groups = category_choices()
    names = [name for name, _options in groups]
    assert "城乡建设" in names
    options = dict(groups)["城乡建设"]
    labels = [label for _pk, label in options]
    assert labels[0] == "城乡建设（其他）"
    assert "安全生产" in labels
