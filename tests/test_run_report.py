"""The end-of-run summary reads backends and Hypothesis example counts correctly."""

from __future__ import annotations

from tests.run_report import backend_of, hypothesis_examples

STATS = """tests/bot/test_hostile_input.py::test_free_text[postgresql]:

  - during reuse phase (0.01 seconds):
    - Typical runtimes: ~ 2ms, of which < 1ms in data generation
    - 3 passing, 0 failing, and 0 invalid test cases

  - during generate phase (0.30 seconds):
    - Typical runtimes: ~ 2ms, of which < 1ms in data generation
    - 57 passing, 1 failing, and 6 invalid test cases
"""


def test_backend_comes_from_the_parametrisation_id() -> None:
    assert backend_of("tests/db/test_engine.py::test_x[sqlite]") == "sqlite"
    assert backend_of("tests/bot/test_h.py::test_nul[postgresql-\\x00外资]") == "postgresql"
    assert backend_of("tests/bot/test_h.py::test_y[a-sqlite-b]") == "sqlite"
    assert backend_of("tests/bot/test_h.py::test_sqlite_pragmas") is None
    assert backend_of("tests/bot/test_h.py::test_z[sqlitey]") is None


def test_examples_are_summed_over_phases() -> None:
    assert hypothesis_examples(STATS) == (60, 1)
    assert hypothesis_examples("") == (0, 0)
