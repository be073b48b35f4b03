"""The engine imports neither Django nor any other liaison package (docs/architecture.md)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parents[1]

# Every module of the package (tests aside) imported in a fresh interpreter in which Django
# cannot be imported at all; it prints the liaison modules that got loaded.
PROBE = """
import importlib, json, pkgutil, sys
sys.modules["django"] = None  # any `import django…` now raises ImportError
import liaison.nlp
names = [
    m.name for m in pkgutil.walk_packages(liaison.nlp.__path__, "liaison.nlp.")
    if not m.name.startswith("liaison.nlp.tests")
]
for name in names:
    importlib.import_module(name)
loaded = sorted(n for n in sys.modules if n.startswith("liaison"))
print(json.dumps({"imported": names, "loaded": loaded}))
"""


def _modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "tests" not in p.relative_to(PACKAGE).parts]


def test_every_module_imports_without_django_and_loads_no_other_liaison_package() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert len(report["imported"]) == len(_modules()) - 1  # all but __init__, imported first
    others = [n for n in report["loaded"] if n != "liaison" and not n.startswith("liaison.nlp")]
    assert others == []


def test_no_import_statement_names_django_or_another_liaison_package() -> None:
    """Imports inside functions run only when called: read every import statement instead."""
    offending = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top == "django" or (top == "liaison" and not name.startswith("liaison.nlp")):
                    offending.append(f"{path.relative_to(ROOT)}: {name}")
    assert offending == []
