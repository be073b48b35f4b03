"""Finding a CJK font for PDFs, posters and charts.

Documents with Chinese text rendered in a Latin font come out as empty boxes; we refuse instead.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"]
# Preferred files, best first; any other font that covers CJK is accepted after these.
PREFERRED = [
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
    "NotoSerifCJK-Regular.ttc",
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "uming.ttc",
    "ukai.ttc",
]
FONT_SUFFIXES = {".ttf", ".otf", ".ttc"}
# Without fontconfig we can only go by file names.
CJK_NAME_HINTS = (
    "cjk",
    "wqy",
    "uming",
    "ukai",
    "notosanssc",
    "notoserifsc",
    "sourcehan",
    "simsun",
    "simhei",
    "msyh",
    "droidsansfallback",
)


class CJKFontMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class CJKFont:
    path: Path
    # Index inside a font collection (.ttc): the Simplified Chinese face where we know it.
    index: int = 0


def _collection_index(path: Path) -> int:
    # Noto CJK collections order their faces JP, KR, SC, TC, HK.
    return 2 if path.name.startswith("NotoS") and path.suffix == ".ttc" else 0


def _from_fontconfig() -> list[Path]:
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [Path(line.split(":")[0].strip()) for line in out.splitlines() if line.strip()]


def _from_directories() -> list[Path]:
    found: list[Path] = []
    for root in FONT_DIRS:
        if root.is_dir():
            found.extend(p for p in root.rglob("*") if p.suffix.lower() in FONT_SUFFIXES)
    return [p for p in found if any(k in p.name.lower() for k in CJK_NAME_HINTS)]


def install_hint() -> str:
    return _(
        "未找到中文字体，无法生成含中文的文档。请安装中文字体后重试："
        "Debian/Ubuntu 执行 `sudo apt-get install fonts-noto-cjk`，"
        "或将任一中文 TTF/OTF 字体路径写入环境变量 CJK_FONT_PATH。"
    )


@cache
def find_cjk_font() -> CJKFont:
    """Return an installed CJK font or raise CJKFontMissing with instructions."""
    if settings.CJK_FONT_PATH:
        path = Path(settings.CJK_FONT_PATH)
        if not path.is_file():
            raise CJKFontMissing(_("CJK_FONT_PATH 指向的字体文件不存在：%(path)s") % {"path": path})
        return CJKFont(path, _collection_index(path))
    candidates = [p for p in _from_fontconfig() if p.is_file()] or _from_directories()
    by_name = {p.name: p for p in candidates}
    for name in PREFERRED:
        if name in by_name:
            return CJKFont(by_name[name], _collection_index(by_name[name]))
    if candidates:
        path = sorted(candidates)[0]
        return CJKFont(path, _collection_index(path))
    raise CJKFontMissing(install_hint())
