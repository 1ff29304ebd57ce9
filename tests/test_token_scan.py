"""The whole-run token scan finds a leak wherever it hides (synthetic records only).

Nothing here logs a token through the real logging tree: that would (rightly) fail the run.
The last test proves the scan end to end in a separate pytest process.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from bot.logging_setup import SecretMaskFilter
from devtools.fake_bot_api import TOKEN
from tests.conftest import ROOT
from tests.token_scan import (
    TEST_TOKENS,
    RecordingHandler,
    RunScan,
    format_record,
    known_secrets,
    scan_files,
    scan_records,
    secret_part,
)

SECRET = secret_part(TOKEN)


def record(msg: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("httpx", logging.DEBUG, __file__, 1, msg, args, exc_info)


def raised(message: str) -> BaseException:
    try:
        raise RuntimeError(message)
    except RuntimeError as exc:
        return exc


def test_the_secret_is_the_part_after_the_bot_id() -> None:
    assert TOKEN.split(":", 1)[1] == SECRET
    assert secret_part("no-colon-secret") == "no-colon-secret"
    assert SECRET in known_secrets()


def test_every_token_the_tests_define_is_looked_for() -> None:
    from tests.bot.test_settings import TOKEN as SETTINGS_TOKEN
    from tests.bot.test_webhook import SECRET as WEBHOOK_SECRET

    for token in (TOKEN, SETTINGS_TOKEN, WEBHOOK_SECRET):
        assert token in TEST_TOKENS
        assert secret_part(token) in known_secrets()


def test_a_token_in_the_message_arguments_or_the_exception_is_found() -> None:
    in_args = format_record(record("POST http://api/bot%s/getMe", TOKEN))
    in_exception = format_record(record("failed", exc=raised(f"http://api/bot{TOKEN}/x")))
    bad_format = format_record(record("%d broken %s", TOKEN))  # formatting fails: raw parts
    for text in (in_args, in_exception, bad_format):
        assert SECRET in text


def test_a_masked_record_is_clean() -> None:
    masked = record("failed %s", TOKEN, exc=raised(f"bot{TOKEN}"))
    SecretMaskFilter([TOKEN]).filter(masked)
    assert SECRET not in format_record(masked)


def test_a_url_encoded_token_is_masked_too() -> None:
    # httpx logs file downloads as .../file/bot123456789%3AAAH.../path: found by the whole-run
    # scan, missed by the per-test one.
    url = f"GET http://api/file/bot{quote(TOKEN, safe='')}/documents/file_1.txt"
    encoded = record("HTTP Request: %s", url)
    assert SECRET in format_record(encoded)
    SecretMaskFilter([TOKEN]).filter(encoded)
    assert SECRET not in format_record(encoded)


def test_recorded_records_and_kept_files_are_scanned(tmp_path: Path) -> None:
    handler = RecordingHandler(tmp_path / "records.jsonl")  # not attached to any logger
    handler.handle(record("clean line"))
    handler.handle(record("leak %s", TOKEN))
    handler.handle(record("after", exc=raised(f"token={TOKEN}")))
    handler.close()
    records, hits = scan_records(handler.path, [SECRET])
    assert (records, len(hits)) == (3, 2)
    assert all(SECRET not in hit.describe() and "<SECRET>" in hit.describe() for hit in hits)
    kept = tmp_path / "serve.txt"  # not *.log: the run's own scan must not see this leak
    kept.write_text(f"one\ntwo {TOKEN}\n", encoding="utf-8")
    files, file_hits = scan_files([kept], [SECRET])
    assert (files, len(file_hits)) == (1, 1)
    assert file_hits[0].describe().endswith("two 123456789:<SECRET>")


def test_run_scan_counts_reports_and_summarises(tmp_path: Path) -> None:
    scan = RunScan([SECRET], RecordingHandler(tmp_path / "r.jsonl"))
    scan.handler.handle(record("fine"))
    scan.scan_report("t::a (call)", "AssertionError: all good")
    scan.scan_report("t::b (call)", f"AssertionError: {TOKEN}")
    hits = scan.finish([])
    assert len(hits) == 1 and hits[0].where == "t::b (call)"
    assert scan.summary.startswith("token scan: 1 records, 0 files, 2 reports, 1 hits")


LEAKY_TESTS = """
import logging

from devtools.fake_bot_api import TOKEN


def test_logs_the_token_at_debug():
    logging.getLogger("some.library").debug("GET /bot%s/getMe", TOKEN)


def test_keeps_a_subprocess_log_with_the_token(tmp_path):
    (tmp_path / "serve.log").write_text("started with " + TOKEN)


def test_clean():
    logging.getLogger("bot").info("nothing to see")
"""


def test_a_leaking_run_fails_and_names_each_leak() -> None:
    """A pytest run with this conftest, whose tests all pass but leak the token, fails."""
    with tempfile.TemporaryDirectory(prefix="leak-run-") as folder:
        test_file = Path(folder) / "test_leaky.py"
        test_file.write_text(LEAKY_TESTS, encoding="utf-8")
        env = {**os.environ, "TMPDIR": folder}  # the child's records and basetemp stay here
        plugins = ["-p", "tests.conftest", "-p", "no:cacheprovider", "--rootdir", folder]
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", *plugins, str(test_file)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "3 passed" in output
    assert "2 hits" in output, output
    assert "TOKEN FOUND in log record of some.library" in output
    assert "TOKEN FOUND in " in output and "serve.log" in output
    assert SECRET not in output  # the summary masks what it found
