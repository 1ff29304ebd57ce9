"""One contract for everything built from data before answering: fingerprint, build, save, load.

The tokenizer's dictionary, the intent model, each segment's retrieval index and the triager are
derived from inputs (training data, code, the base's words). Each says what it depends on as a
fingerprint; `obtain` loads the copy saved under that fingerprint or builds, saves and loads
it. Everything goes through here at start-up (bot/services.py builds the assistant and the
triager), so no request ever fits anything. The snapshot's segments follow the same rule with a
manifest of their own (nlp/kb_store.py): one fingerprint per document.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Generic, Protocol, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
COMPLETE = ".complete"  # written last: a folder without it is torn


class Artifact(Protocol, Generic[T_co]):
    """Something built from inputs named by `fingerprint()`."""

    name: str

    def fingerprint(self) -> str:
        """Return a short hash of everything the artifact is a function of."""
        ...

    def build(self, directory: Path) -> None:
        """Build the artifact and save it into `directory` (empty, private to this build)."""
        ...

    def load(self, directory: Path) -> T_co:
        """Load the artifact saved in `directory`."""
        ...


def obtain(artifact: Artifact[T], root: Path, *, keep_others: bool = False) -> T:
    """Return the artifact saved under its fingerprint in `root`, building it when missing.

    Other fingerprints of the same artifact are removed once the new one is complete, unless
    `keep_others` (several live at once, e.g. one index per segment).
    """
    directory = root / f"{artifact.name}_{artifact.fingerprint()}"
    if (directory / COMPLETE).is_file():
        try:
            return artifact.load(directory)
        except (OSError, ValueError, KeyError) as exc:  # a torn or old copy: rebuild
            logger.warning("%s unreadable (%s): rebuilding", directory.name, exc)
    logger.info("%s missing: building it", directory.name)
    tmp = root / f".{directory.name}.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    artifact.build(tmp)
    (tmp / COMPLETE).write_text(artifact.fingerprint(), encoding="utf-8")
    shutil.rmtree(directory, ignore_errors=True)
    try:
        tmp.rename(directory)  # the folder appears complete or not at all
    except OSError:  # another process finished the same artifact first
        shutil.rmtree(tmp, ignore_errors=True)
    if not keep_others:
        for old in root.glob(f"{artifact.name}_*"):
            if old != directory and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    return artifact.load(directory)
