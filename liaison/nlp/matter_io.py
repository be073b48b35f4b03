"""A `MatterIndex` in one ``.npz`` file: built once by one process, loaded by the others.

Plain arrays only (``np.savez``, loaded with ``allow_pickle=False``), so a file can be read
without running code from it and loads in the time it takes to read its bytes:

- the row vectors as one CSC matrix (``data``, ``indices``, ``indptr``, ``shape``, as
  ``scipy.sparse.save_npz`` stores them) and the integer ``ids`` of the rows;
- every row's places as pairs (``place_row``, ``place_key``) into the sorted ``place_keys``:
  the common places and the conflict flags are derived again on load (`MatterIndex.restored`);
- the n-gram space (keys and IDF, 1.7 MB for the shipped model's bigrams) with its fingerprint:
  a reader needs no model loaded (loading the classifier would cost a web process more than the
  file itself), a file stays right across a model upgrade, and the processes hold one copy of
  each space however many counties they load (`_spaces`);
- ``meta``: a JSON object of the caller's (what the index covers, what it has read).

`save_index` writes to a temporary file in the same folder and renames it into place, so a
reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import IO, Any, cast

import numpy as np
from scipy import sparse

from .features import NgramSpace
from .matter import MatterIndex

FORMAT = 1

__all__ = ["IndexFileError", "load_index", "read_meta", "save_index", "space_fingerprint"]


class IndexFileError(ValueError):
    """The file is not a whole index of this format (partial, corrupt, or another model's)."""


def space_fingerprint(space: NgramSpace) -> str:
    digest = hashlib.sha256()
    digest.update(f"{space.n_min}-{space.n_max}-{space.size}".encode())
    digest.update(np.ascontiguousarray(space.keys, dtype=np.int64).tobytes())
    digest.update(np.ascontiguousarray(space.idf, dtype=np.float32).tobytes())
    return digest.hexdigest()[:32]


_spaces: dict[str, NgramSpace] = {}  # fingerprint → the space, shared by the indexes loaded
SPACES_KEPT = 4


def _arrays(index: MatterIndex, meta: dict[str, Any]) -> dict[str, np.ndarray]:
    space, ids, vectors, places = index.parts()
    pairs = [(row, key) for row, keys in enumerate(places) for key in sorted(keys)]
    keys = sorted({key for _, key in pairs})
    number = {key: n for n, key in enumerate(keys)}
    return {
        "ids": np.asarray(ids, dtype=np.int64),
        "data": vectors.data.astype(np.float32, copy=False),
        "indices": vectors.indices,
        "indptr": vectors.indptr,
        "shape": np.asarray(vectors.shape, dtype=np.int64),
        "place_keys": np.asarray(keys, dtype=str),
        "place_row": np.fromiter((row for row, _ in pairs), dtype=np.int32, count=len(pairs)),
        "place_key": np.fromiter(
            (number[key] for _, key in pairs), dtype=np.int32, count=len(pairs)
        ),
        "space_keys": space.keys,
        "space_idf": space.idf,
        "space_n": np.asarray([space.n_min, space.n_max], dtype=np.int64),
        "meta": np.asarray(
            json.dumps({**meta, "format": FORMAT, "space": space_fingerprint(space)})
        ),
    }


def save_index(path: Path, index: MatterIndex, *, meta: dict[str, Any]) -> int:
    """Write `index` (integer ids) with `meta` to `path` atomically; the file's size in bytes."""
    if not all(isinstance(i, int | np.integer) for i in index.parts()[1]):
        raise TypeError("only an index of integer ids can be saved")
    arrays = _arrays(index, meta)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed before the rename below
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            np.savez(handle, **cast(dict[str, Any], arrays))  # names, not options
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return path.stat().st_size


def _meta_of(archive: Any) -> dict[str, Any]:
    meta = json.loads(str(archive["meta"][()]))
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise IndexFileError("not an index file of this format")
    return meta


def read_meta(path: Path) -> dict[str, Any]:
    """The file's `meta` alone (one small member of the archive is read)."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            return _meta_of(archive)
    except Exception as error:  # a truncated zip, a missing member, garbage: all unusable
        raise IndexFileError(f"{path.name}: {error!r}") from error


def _space_of(archive: Any, fingerprint: str) -> NgramSpace:
    space = _spaces.get(fingerprint)
    if space is None:
        n_min, n_max = (int(n) for n in archive["space_n"])
        space = NgramSpace(
            n_min=n_min, n_max=n_max, keys=archive["space_keys"], idf=archive["space_idf"]
        )
        if space_fingerprint(space) != fingerprint:
            raise IndexFileError("the n-gram space does not match its fingerprint")
        if len(_spaces) >= SPACES_KEPT:
            _spaces.clear()
        _spaces[fingerprint] = space
    return space


def load_index(source: Path | IO[bytes]) -> tuple[MatterIndex, dict[str, Any]]:
    """The index saved in `source` (a path or an open file) and its meta; `IndexFileError` for
    anything but a whole file of this format."""
    name = Path(str(getattr(source, "name", "index"))).name
    try:
        with np.load(source, allow_pickle=False) as archive:
            meta = _meta_of(archive)
            space = _space_of(archive, str(meta["space"]))
            shape = tuple(int(n) for n in archive["shape"])
            vectors = sparse.csc_matrix(
                (archive["data"], archive["indices"], archive["indptr"]), shape=shape
            )
            ids = archive["ids"].tolist()
            keys = archive["place_keys"].tolist()
            rows, numbers = archive["place_row"], archive["place_key"]
    except IndexFileError:
        raise
    except Exception as error:  # a truncated zip, a missing member, garbage: all unusable
        raise IndexFileError(f"{name}: {error!r}") from error
    grouped: list[list[str]] = [[] for _ in ids]
    try:
        for row, number in zip(rows.tolist(), numbers.tolist(), strict=True):
            grouped[row].append(keys[number])
        index = MatterIndex.restored(
            space=space, ids=ids, vectors=vectors, places=[frozenset(g) for g in grouped]
        )
    except (IndexError, ValueError) as error:
        raise IndexFileError(f"{name}: {error}") from error
    return index, meta
