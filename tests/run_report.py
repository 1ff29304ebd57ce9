"""The run's own checks and report (a pytest plugin, registered by tests/conftest.py).

- the whole-run token scan (tests/token_scan.py): every log record at DEBUG, every report and
  every kept subprocess log (*.log under the run's temporary folder); a hit fails the run;
- the end-of-run summary: cases tried (tests, Hypothesis examples, hostile inputs, bad files),
  outcomes per database backend, and the load and fault figures tests record via `figures`.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.token_scan import RecordingHandler, RunScan, known_secrets

FIGURES_KEY = pytest.StashKey[list[tuple[str, str]]]()
SCAN_KEY = pytest.StashKey[RunScan]()
BASETEMP_KEY = pytest.StashKey[Path]()
CASES_KEY = pytest.StashKey[Counter]()
BACKENDS = ("sqlite", "postgresql")
HOSTILE_FILE = "tests/bot/test_hostile_input.py"
BAD_FILE_FILES = ("tests/knowledge/test_bad_files.py", "tests/bot/test_e2e_bad_uploads.py")
EXAMPLES = re.compile(r"(\d+) passing, (\d+) failing")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[FIGURES_KEY] = []
    config.stash[CASES_KEY] = Counter()
    # The whole run is recorded at DEBUG for the token scan. pytest's own per-test capture
    # handlers keep WARNING and up only, or they would hold every DEBUG record in memory (and
    # fill failure reports with them); caplog.set_level still lowers them where a test asks.
    if config.getoption("log_level") is None and not config.getini("log_level"):
        config.option.log_level = "WARNING"
    folder = Path(tempfile.mkdtemp(prefix="assistant-token-scan-"))
    scan = RunScan(known_secrets(), RecordingHandler(folder / "records.jsonl"))
    scan.attach()
    config.stash[SCAN_KEY] = scan


@pytest.fixture
def figures(request: pytest.FixtureRequest):
    """Record a line (what was tried, load and fault figures) for the end-of-run summary."""

    def record(section: str, line: str) -> None:
        request.config.stash[FIGURES_KEY].append((section, line))

    return record


@pytest.fixture(scope="session", autouse=True)
def _remember_basetemp(request: pytest.FixtureRequest, tmp_path_factory) -> None:
    """Note where tests keep their files: subprocess logs (*.log) there are scanned at the end."""
    request.config.stash[BASETEMP_KEY] = tmp_path_factory.getbasetemp()


def _pytest_owned(handler: logging.Handler) -> bool:
    return type(handler).__module__.startswith("_pytest")


@pytest.fixture(autouse=True)
def _logging_restored(request: pytest.FixtureRequest) -> Iterator[None]:
    """Give each test the run's logging back: the recorder attached, levels as they were.

    In-process CLI tests call configure_logging, which replaces the root handlers and quiets
    httpx; without this the recorder would go deaf for the rest of the run.
    """
    scan = request.config.stash[SCAN_KEY]
    scan.attach()
    root = logging.getLogger()
    handlers = [h for h in root.handlers if not _pytest_owned(h)]
    levels = {
        name: logger.level
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    yield
    for handler in root.handlers[:]:
        if not _pytest_owned(handler) and handler not in handlers:
            root.removeHandler(handler)
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    scan.attach()


def backend_of(nodeid: str) -> str | None:
    """Return the database backend a test ran on, from its parametrisation id."""
    params = nodeid.partition("[")[2]
    return next((b for b in BACKENDS if re.search(rf"(^|-){b}(-|\]|$)", params)), None)


def hypothesis_examples(statistics: str) -> tuple[int, int]:
    """Return (passing, failing) examples from Hypothesis' per-test statistics text."""
    found = [tuple(map(int, m)) for m in EXAMPLES.findall(statistics)]
    return sum(p for p, _ in found), sum(f for _, f in found)


def _count_case(cases: Counter, item: pytest.Item, report: pytest.TestReport) -> None:
    path = item.nodeid.partition("::")[0]
    if report.when == "call" or (report.when == "setup" and not report.passed):
        cases["tests"] += 1
        cases[report.outcome] += 1
        if not report.skipped:
            cases[f"file:{path}"] += 1
    if report.when == "teardown" and hasattr(item, "hypothesis_statistics"):
        passing, failing = hypothesis_examples(item.hypothesis_statistics)
        cases["property tests"] += 1
        cases["examples"] += passing + failing
        cases["failing examples"] += failing
        cases[f"examples:{path}"] += passing + failing
        backend = backend_of(item.nodeid)
        if backend:
            cases[f"examples:{path}:{backend}"] += passing + failing


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Scan every report (failure text, captured output and logs) and count the case."""
    report = yield
    scan = item.config.stash.get(SCAN_KEY, None)
    if scan is not None:
        sections = "\n".join(content for _, content in report.sections)
        scan.scan_report(f"{report.nodeid} ({report.when})", f"{report.longreprtext}\n{sections}")
    _count_case(item.config.stash[CASES_KEY], item, report)
    return report


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Scan the run's records and kept subprocess logs; any secret found fails the run."""
    scan = session.config.stash.get(SCAN_KEY, None)
    if scan is None:
        return
    basetemp = session.config.stash.get(BASETEMP_KEY, None)
    files = sorted(basetemp.rglob("*.log")) if basetemp is not None else []
    if scan.finish(files):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _backend_lines(terminalreporter) -> list[str]:
    counts: dict[str, Counter] = {b: Counter() for b in BACKENDS}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            backend = backend_of(getattr(report, "nodeid", ""))
            if backend:
                counts[backend][outcome] += 1
    return [
        f"{b}: " + (", ".join(f"{n} {k}" for k, n in sorted(counts[b].items())) or "none")
        for b in BACKENDS
    ]


def _case_lines(cases: Counter) -> list[str]:
    outcomes = ", ".join(f"{cases[k]} {k}" for k in ("passed", "failed", "skipped") if cases[k])
    hostile_tests = cases[f"file:{HOSTILE_FILE}"]
    hostile_examples = cases[f"examples:{HOSTILE_FILE}"]
    per_backend = ", ".join(
        f"{b} {cases[f'examples:{HOSTILE_FILE}:{b}']}"
        for b in BACKENDS
        if cases[f"examples:{HOSTILE_FILE}:{b}"]
    )
    bad_files = sum(cases[f"file:{f}"] for f in BAD_FILE_FILES)
    return [
        f"tests: {cases['tests']} ({outcomes or 'none'})",
        f"property tests: {cases['property tests']} with {cases['examples']} generated examples "
        f"({cases['failing examples']} failing)",
        f"hostile input: {hostile_tests} tests run, {hostile_examples} generated messages, "
        f"commands and button presses" + (f" ({per_backend})" if per_backend else ""),
        f"bad files: {bad_files} tests run (loaders, ingestion, uploads through Telegram)",
    ]


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Print cases tried, outcomes per backend, the recorded figures and the token scan."""
    terminalreporter.section("cases tried")
    for line in _case_lines(config.stash.get(CASES_KEY, Counter())):
        terminalreporter.write_line(line)
    terminalreporter.section("database backends")
    for line in _backend_lines(terminalreporter):
        terminalreporter.write_line(line)
    lines = config.stash.get(FIGURES_KEY, [])
    if lines:
        terminalreporter.section("reliability and load figures")
        for section, line in lines:
            terminalreporter.write_line(f"[{section}] {line}")
    scan = config.stash.get(SCAN_KEY, None)
    if scan is not None and scan.summary:
        terminalreporter.section("secrets")
        terminalreporter.write_line(scan.summary, red=bool(scan.hits), bold=bool(scan.hits))
        for hit in scan.hits:
            terminalreporter.write_line(f"TOKEN FOUND in {hit.describe()}", red=True)
        if scan.hits:
            terminalreporter.write_line(f"all records kept in {scan.handler.path}", red=True)
        else:
            scan.handler.path.unlink(missing_ok=True)
            scan.handler.path.parent.rmdir()
