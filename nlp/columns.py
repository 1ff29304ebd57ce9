"""Column tables for the knowledge snapshot: numbers in numpy arrays, text in one UTF-8 blob.

As Python objects, a large base costs several times its text (an object header per string, a
tuple or dataclass per row). Here a table is a few arrays per column: numbers as typed arrays,
free text as one blob plus offsets, repeated short strings (section ids, units, periods) as codes
into a small vocabulary. Saved tables are memory-mapped, so a row costs RAM only when read.
"""

from __future__ import annotations

import io
import json
import mmap
from array import array
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from nlp.pages import PAGE, PageBudget

# Column kinds: numpy dtypes, "text" (blob + offsets) and "code" (vocabulary codes).
NUMBER_KINDS = {
    "i1": ("b", np.int8),
    "i4": ("i", np.int32),
    "i8": ("q", np.int64),
    "f8": ("d", np.float64),
}
SCHEMA_FILE = "schema.json"


def map_array(path: Path, pages: PageBudget | None = None) -> np.ndarray:
    """Map a .npy file read-only (like np.load(mmap_mode="r")), tracked by `pages`."""
    with path.open("rb") as handle:
        version = np.lib.format.read_magic(handle)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(handle)
        else:
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(handle)
        offset = handle.tell()
        count = int(np.prod(shape))
        if fortran or dtype.hasobject:
            raise ValueError(f"{path.name}: not a plain C-ordered array")
        if count == 0:
            return np.zeros(shape, dtype=dtype)
        mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if pages is not None:
        pages.track(mapping)
    return np.frombuffer(mapping, dtype=dtype, count=count, offset=offset).reshape(shape)


def map_bytes(path: Path, pages: PageBudget | None = None) -> np.ndarray:
    """Map a raw file read-only as uint8, tracked by `pages`."""
    # mmap refuses empty files; an empty column needs no mapping.
    if path.stat().st_size == 0:
        return np.zeros(0, dtype=np.uint8)
    with path.open("rb") as handle:
        mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if pages is not None:
        pages.track(mapping)
    return np.frombuffer(mapping, dtype=np.uint8)


class TextColumn:
    """Strings (or None) stored as one UTF-8 blob and an offsets array."""

    def __init__(
        self,
        blob: np.ndarray,
        offsets: np.ndarray,
        nulls: np.ndarray,
        pages: PageBudget | None = None,
    ) -> None:
        self.blob = blob
        self.offsets = offsets
        self.nulls = nulls
        self.pages = pages

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, row: int) -> str | None:
        if self.nulls[row]:
            return None
        start, end = int(self.offsets[row]), int(self.offsets[row + 1])
        if self.pages is not None:
            self.pages.charge(max(PAGE, end - start))
        return self.blob[start:end].tobytes().decode("utf-8")


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


Column = np.ndarray | TextColumn | CodeColumn


class Table:
    """Named columns of equal length."""

    def __init__(
        self, columns: Mapping[str, Column], length: int, pages: PageBudget | None = None
    ) -> None:
        self.columns = dict(columns)
        self.length = length
        self.pages = pages

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, name: str) -> Any:
        return self.columns[name]

    @classmethod
    def load(cls, directory: Path, pages: PageBudget | None = None) -> Table:
        """Map a table saved by TableWriter (arrays stay on disk until read)."""
        schema = json.loads((directory / SCHEMA_FILE).read_text(encoding="utf-8"))
        columns: dict[str, Column] = {}
        for name, kind in schema["kinds"].items():
            if kind == "text":
                columns[name] = TextColumn(
                    map_bytes(directory / f"{name}.bin", pages),
                    map_array(directory / f"{name}.offsets.npy", pages),
                    map_array(directory / f"{name}.nulls.npy", pages),
                    pages,
                )
            elif kind == "code":
                columns[name] = CodeColumn(
                    map_array(directory / f"{name}.npy", pages), schema["vocabularies"][name]
                )
            else:
                columns[name] = map_array(directory / f"{name}.npy", pages)
        return cls(columns, schema["length"], pages)


class TableWriter:
    """Append rows column by column; write them to `directory`, or keep them in memory.

    Text goes straight to its blob file as rows arrive, so building a large table never holds
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

    def finish(self, pages: PageBudget | None = None) -> Table:
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
        return Table.load(self.directory, pages)

    def _save(self, name: str, values: np.ndarray) -> None:
        if self.directory is not None:
            np.save(self.directory / f"{name}.npy", values)
