#!/usr/bin/env bash
# Documents and posters need a CJK font. Install one when we can; otherwise say exactly how.
set -u
if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then
  exit 0
fi
if ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> 安装中文字体 fonts-noto-cjk"
  (apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1 || (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1)) \
    && exit 0
fi
cat >&2 <<'MSG'
注意：未找到中文字体，海报与 PDF 文档将无法生成（平台会给出提示，而不会输出方框）。
请安装中文字体：sudo apt-get install fonts-noto-cjk
或设置环境变量 CJK_FONT_PATH=/path/to/中文字体.ttf
MSG
exit 0
