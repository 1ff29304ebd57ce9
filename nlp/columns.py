"""Column tables for the knowledge snapshot: numpy .npy files opened with np.load(mmap_mode="r").

As Python objects, a large base costs several times its text (an object header per string, a
tuple or dataclass per row). Here a table is a few arrays per column: numbers as typed arrays,
free text as one UTF-8 byte file plus offsets, repeated short strings (section ids, units,
periods) as codes into a small vocabulary. Saved columns are memory-mapped by numpy itself:
their pages are the OS's file cache (clean, dropped under memory pressure without swapping).
psutil's USS still counts a mapped page while no other process maps it, so `release_pages`
(called by the assistant every few answers) unmaps the pages read so far; the file cache keeps
them and the next read maps them again without a disk read. numpy was chosen over Arrow IPC
files by measurement: pyarrow is 170 MB installed and adds 27 MB of private memory on import
alone; numpy is already needed.

A snapshot made of segments (nlp/kb_store.py) joins its segments' tables with `concat`:
numbers and codes are copied into one array per column (a few bytes per row), texts stay in
their segments' files.
"""

from __future__ import annotations

import io
import itertools
import json
import mmap
import weakref
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

# Column kinds: numpy dtypes, "text" (bytes + offsets) and "code" (vocabulary codes).
NUMBER_KINDS = {"i1": ("b", np.int8), "i4": ("i", np.int32), "i8": ("q", np.int64),
                "f8": ("d", np.float64)}
SCHEMA_FILE = "schema.json"


# Every live mapping made here (weakly: a dropped segment's mappings go with its arrays).
_MAPPINGS: weakref.WeakValueDictionary[int, mmap.mmap] = weakref.WeakValueDictionary()
_NUMBERS = itertools.count()


def _registered(mapped: np.memmap) -> np.ndarray:
    _MAPPINGS[next(_NUMBERS)] = mapped._mmap
    return mapped.view(np.ndarray)


def map_array(path: Path) -> np.ndarray:
    """Map a .npy file read-only.

    Returned as a plain ndarray view of numpy's memmap (which it keeps alive as its base): a
    memmap's slices and results are memmaps too, each paying a Python-level finalizer, and
    answering slices postings and offsets many times per question.
    """
    return _registered(np.load(path, mmap_mode="r"))


def map_bytes(path: Path) -> np.ndarray:
    """Map a raw file read-only as uint8 (np.memmap refuses empty files: they need none)."""
    if path.stat().st_size == 0:
        return np.zeros(0, dtype=np.uint8)
    return _registered(np.memmap(path, dtype=np.uint8, mode="r"))


def mapped_bytes() -> int:
    """How many bytes of column files this process has mapped."""
    return sum(len(m) for m in list(_MAPPINGS.values()) if not m.closed)


def release_pages() -> int:
    """Unmap the pages of every mapped column from this process; return the mappings released.

    The pages stay in the OS's file cache and the next read maps them again (a minor fault,
    no disk read). Without this, every page a question ever read stays in this process's page
    tables, and psutil's USS counts it while no other process maps the file: at 10,000
    documents the postings alone grew USS by ~85 MB over 1,000 questions.
    """
    released = 0
    for mapping in list(_MAPPINGS.values()):
        if not mapping.closed:
            mapping.madvise(mmap.MADV_DONTNEED)
            released += 1
    return released


class TextColumn:
    """Strings (or None) stored as one UTF-8 byte array and an offsets array."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, nulls: np.ndarray) -> None:
        self.blob = blob
        self.offsets = offsets
        self.nulls = nulls

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, row: int) -> str | None:
        if self.nulls[row]:
            return None
        start, end = int(self.offsets[row]), int(self.offsets[row + 1])
        return self.blob[start:end].tobytes().decode("utf-8")


class JoinedText:
    """Several text columns read as one; `rows` (optional) picks and orders the rows."""

    def __init__(self, parts: Sequence[TextColumn], rows: np.ndarray | None = None) -> None:
        self.parts = list(parts)
        self.starts = np.cumsum([0, *(len(p) for p in self.parts)])
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows) if self.rows is not None else int(self.starts[-1])

    def __getitem__(self, row: int) -> str | None:
        row = int(self.rows[row]) if self.rows is not None else int(row)
        part = int(np.searchsorted(self.starts, row, side="right")) - 1
        return self.parts[part][row - int(self.starts[part])]


class CodeColumn:
    """Repeated short strings (or None) as int32 codes into a vocabulary held in RAM."""

    def __init__(self, codes: np.ndarray, vocabulary: list[str | None]) -> None:
        self.codes = codes
        self.vocabulary = vocabulary
        self._lookup = {value: code for code, value in enumerate(vocabulary)}

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, row: int) -> str | None:
        return self.vocabulary[int(self.codes[row])]

    def code(self, value: str | None) -> int:
        """Return the code of `value`, or -1 when no row holds it."""
        return self._lookup.get(value, -1)


Column = np.ndarray | TextColumn | JoinedText | CodeColumn


class Table:
    """Named columns of equal length."""

    def __init__(self, columns: Mapping[str, Column], length: int) -> None:
        self.columns = dict(columns)
        self.length = length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, name: str) -> Any:
        return self.columns[name]

    @classmethod
    def load(cls, directory: Path) -> Table:
        """Map a table saved by TableWriter (arrays stay on disk until read)."""
        schema = json.loads((directory / SCHEMA_FILE).read_text(encoding="utf-8"))
        columns: dict[str, Column] = {}
        for name, kind in schema["kinds"].items():
            if kind == "text":
                columns[name] = TextColumn(
                    map_bytes(directory / f"{name}.bin"),
                    map_array(directory / f"{name}.offsets.npy"),
                    map_array(directory / f"{name}.nulls.npy"),
                )
            elif kind == "code":
                columns[name] = CodeColumn(
                    map_array(directory / f"{name}.npy"), schema["vocabularies"][name]
                )
            else:
                columns[name] = map_array(directory / f"{name}.npy")
        return cls(columns, schema["length"])


def concat(tables: Sequence[Table], keep: np.ndarray | None = None) -> Table:
    """Join tables of the same columns row-wise; `keep` (row numbers) drops or reorders rows.

    One table and no `keep` is returned as it is (still mapped). The first table's codes keep
    their values (its vocabulary is the head of the joined one): only later parts are recoded.
    """
    if len(tables) == 1 and keep is None:
        return tables[0]
    first = tables[0]
    columns: dict[str, Column] = {}
    for name, column in first.columns.items():
        parts = [t[name] for t in tables]
        if isinstance(column, CodeColumn):
            vocabulary: dict[str | None, int] = dict(column._lookup)
            recoded = []
            for part in parts:
                lookup = np.asarray(
                    [vocabulary.setdefault(v, len(vocabulary)) for v in part.vocabulary]
                    or [0],
                    dtype=np.int32,
                )
                recoded.append(lookup[np.asarray(part.codes)] if len(part.codes) else
                               np.zeros(0, dtype=np.int32))
            codes = np.concatenate(recoded)
            columns[name] = CodeColumn(codes[keep] if keep is not None else codes,
                                       list(vocabulary))
        elif isinstance(column, TextColumn):
            columns[name] = JoinedText(parts, keep)
        else:
            values = np.concatenate(parts)
            columns[name] = values[keep] if keep is not None else values
    length = len(keep) if keep is not None else sum(len(t) for t in tables)
    return Table(columns, length)


class TableWriter:
    """Append rows column by column; write them to `directory`, or keep them in memory.

    Text goes straight to its byte file as rows arrive, so building a large table never holds
    its text in RAM.
    """

    def __init__(self, kinds: Mapping[str, str], directory: Path | None = None) -> None:
        self.kinds = dict(kinds)
        self.directory = directory
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)
        self.length = 0
        self._numbers: dict[str, array] = {}
        self._blobs: dict[str, BinaryIO] = {}
        self._offsets: dict[str, array] = {}
        self._nulls: dict[str, array] = {}
        self._vocabularies: dict[str, dict[str | None, int]] = {}
        self._codes: dict[str, array] = {}
        # One appender per column, chosen once: a large build appends millions of values.
        self._appenders: list[tuple[str, Callable[[Any], None]]] = []
        for name, kind in self.kinds.items():
            if kind == "text":
                self._blobs[name] = (
                    open(directory / f"{name}.bin", "wb")  # noqa: SIM115 - closed in finish()
                    if directory is not None
                    else io.BytesIO()
                )
                self._offsets[name] = array("q", [0])
                self._nulls[name] = array("b")
                appender = self._text_appender(name)
            elif kind == "code":
                self._vocabularies[name] = {}
                self._codes[name] = array("i")
                appender = self._code_appender(name)
            else:
                self._numbers[name] = array(NUMBER_KINDS[kind][0])
                appender = self._numbers[name].append
            self._appenders.append((name, appender))

    def _text_appender(self, name: str) -> Callable[[Any], None]:
        write, offsets, nulls = self._blobs[name].write, self._offsets[name], self._nulls[name]

        def append(value: str | None) -> None:
            data = value.encode("utf-8") if value is not None else b""
            write(data)
            offsets.append(offsets[-1] + len(data))
            nulls.append(value is None)

        return append

    def _code_appender(self, name: str) -> Callable[[Any], None]:
        vocabulary, codes = self._vocabularies[name], self._codes[name]

        def append(value: str | None) -> None:
            codes.append(vocabulary.setdefault(value, len(vocabulary)))

        return append

    def add(self, **values: Any) -> int:
        """Append one row (every column must be given); return its row number."""
        for name, append in self._appenders:
            append(values[name])
        self.length += 1
        return self.length - 1

    def extend(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Append several rows."""
        for row in rows:
            self.add(**row)

    def finish(self) -> Table:
        """Close the files and return the table (memory-mapped when written to a directory)."""
        columns: dict[str, Column] = {}
        for name, kind in self.kinds.items():
            if kind == "text":
                blob = self._blobs[name]
                offsets = np.frombuffer(self._offsets[name], dtype=np.int64)
                nulls = np.frombuffer(self._nulls[name], dtype=np.int8).astype(bool)
                if isinstance(blob, io.BytesIO):
                    data = np.frombuffer(blob.getvalue(), dtype=np.uint8)
                    columns[name] = TextColumn(data, offsets, nulls)
                else:
                    blob.close()
                    self._save(f"{name}.offsets", offsets)
                    self._save(f"{name}.nulls", nulls)
            elif kind == "code":
                codes = np.frombuffer(self._codes[name], dtype=np.int32)
                vocabulary = list(self._vocabularies[name])
                columns[name] = CodeColumn(codes, vocabulary)
                self._save(name, codes)
            else:
                values = np.frombuffer(self._numbers[name], dtype=NUMBER_KINDS[kind][1])
                columns[name] = values
                self._save(name, values)
        if self.directory is None:
            return Table(columns, self.length)
        schema = {
            "length": self.length,
            "kinds": self.kinds,
            "vocabularies": {n: list(v) for n, v in self._vocabularies.items()},
        }
        (self.directory / SCHEMA_FILE).write_text(
            json.dumps(schema, ensure_ascii=False), encoding="utf-8"
        )
        return Table.load(self.directory)

    def _save(self, name: str, values: np.ndarray) -> None:
        if self.directory is not None:
            np.save(self.directory / f"{name}.npy", values)
