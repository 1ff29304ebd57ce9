"""The artifact contract: built once per fingerprint, loaded afterwards, torn copies rebuilt."""

from __future__ import annotations

from pathlib import Path

from nlp.artifacts import COMPLETE, obtain


class Counter:
    """A toy artifact: the text of its input, counting its builds."""

    name = "toy"

    def __init__(self, source: str) -> None:
        self.source = source
        self.builds = 0

    def fingerprint(self) -> str:
        return f"{len(self.source)}x{sum(map(ord, self.source))}"

    def build(self, directory: Path) -> None:
        self.builds += 1
        (directory / "value.txt").write_text(self.source.upper(), encoding="utf-8")

    def load(self, directory: Path) -> str:
        return (directory / "value.txt").read_text(encoding="utf-8")


def test_an_artifact_is_built_once_per_fingerprint_and_loaded_after(tmp_path: Path) -> None:
    first = Counter("招商引资")
    assert obtain(first, tmp_path) == "招商引资" and first.builds == 1
    again = Counter("招商引资")
    assert obtain(again, tmp_path) == "招商引资" and again.builds == 0
    changed = Counter("到位资金增长")
    assert obtain(changed, tmp_path) == "到位资金增长" and changed.builds == 1
    # The old fingerprint's copy is gone; only the new one is kept.
    assert [p.name for p in tmp_path.iterdir()] == [f"toy_{changed.fingerprint()}"]


def test_a_torn_copy_is_rebuilt_and_several_copies_may_be_kept(tmp_path: Path) -> None:
    torn = tmp_path / f"toy_{Counter('a').fingerprint()}"
    torn.mkdir()
    (torn / "value.txt").write_text("half", encoding="utf-8")  # no completion mark
    artifact = Counter("a")
    assert obtain(artifact, tmp_path) == "A" and artifact.builds == 1
    assert (torn / COMPLETE).is_file()
    obtain(Counter("bb"), tmp_path, keep_others=True)
    assert len(list(tmp_path.iterdir())) == 2
