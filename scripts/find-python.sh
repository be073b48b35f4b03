#!/usr/bin/env bash
# Print the path of a Python >= 3.12, looking in PATH and among pyenv's versions.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for cand in python3.13 python3.12 python3 python; do
  path=$(command -v "$cand" 2>/dev/null) || continue
  if ok "$path"; then echo "$path"; exit 0; fi
done
roots=()
[ -n "${PYENV_ROOT:-}" ] && roots+=("$PYENV_ROOT")
command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root 2>/dev/null)")
roots+=("$HOME/.pyenv")
for root in "${roots[@]}"; do
  for path in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
    if ok "$path"; then echo "$path"; exit 0; fi
  done
done
for path in /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do
  if [ -x "$path" ] && ok "$path"; then echo "$path"; exit 0; fi
done
cat >&2 <<'MSG'
未找到 Python 3.12 或更高版本（本平台需要 Python >= 3.12）。
请先安装其一，例如：
  - Debian/Ubuntu：sudo apt-get install python3.12 python3.12-venv （或 python3.13）
  - pyenv：pyenv install 3.12  （安装后重新执行 make run）
No Python >= 3.12 found. Install python3.12 or python3.13 (apt or pyenv), then run `make run` again.
MSG
exit 1
