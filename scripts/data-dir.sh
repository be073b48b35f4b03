#!/usr/bin/env bash
# The data directory, owner-only: the secret key, the field key, the SQLite database and its WAL
# files, media, cache and the audit chain's heads are readable by the account that runs the
# platform and by nobody else.
#
#   scripts/data-dir.sh DIR          set up DIR (or fix an older one: chmod on every start)
#   source scripts/data-dir.sh DIR   the same, and the caller keeps `umask 077`, so that the
#                                    database, uploads and cache files it creates later are 0600
#
# Keys are made once and never replaced (encrypted data and PINs depend on them). PYTHON names
# the interpreter used to make them (default .venv/bin/python).
umask 077
liaison_data_dir="${1:?usage: data-dir.sh DATA_DIR}"
mkdir -p "$liaison_data_dir"
# Installations made by earlier versions have a 0755 directory and 0644 files.
chmod 700 "$liaison_data_dir"
chmod -R go-rwx "$liaison_data_dir"
liaison_python="${PYTHON:-.venv/bin/python}"
if [ ! -s "$liaison_data_dir/secret_key" ]; then
  "$liaison_python" -c 'import secrets; print(secrets.token_urlsafe(50))' \
    > "$liaison_data_dir/secret_key"
fi
# The field key (personal data at rest), apart from SECRET_KEY; config/settings.py reads it.
if [ ! -s "$liaison_data_dir/field_key" ]; then
  "$liaison_python" -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())' \
    > "$liaison_data_dir/field_key"
fi
unset liaison_data_dir liaison_python
