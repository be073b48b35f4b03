"""The static files storage of production: whitenoise's compressed manifest storage, with each
name's URL worked out once per process.

`{% static %}` asks the storage for a URL on every use: the manifest lookup, a `urljoin` and a
quote each time, six times on the phone form (a tenth of its time, issue 16). The manifest is
read when the process starts and `collectstatic` runs before the server does, so a name's URL
does not change while the process lives; the storage's base URL is already fixed at its first
use (`FileSystemStorage.base_url`).
"""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]  # untyped
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return str(super().url(name, force))
        found = self._urls.get(name)
        if found is None:
            # A name missing from the manifest raises here, as before, and is not kept.
            found = self._urls[name] = super().url(name)
        return found
