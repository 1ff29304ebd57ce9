"""Services is frozen; what changes at run time goes through a synchronised Versioned holder."""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

import pytest

from bot import proposal_service
from bot.services import Versioned, open_services
from bot.settings import Settings
from nlp.triage import Triager


def test_services_cannot_be_changed_after_the_build(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 's.db'}", var_dir=tmp_path)
    services = open_services(settings)
    try:
        with pytest.raises(dataclasses.FrozenInstanceError):
            services.assistant = None  # type: ignore[misc]
    finally:
        services.close()


def test_concurrent_first_requests_build_once() -> None:
    holder: Versioned[int] = Versioned()
    builds: list[int] = []

    def build() -> int:
        time.sleep(0.05)  # long enough for every thread to be waiting
        builds.append(1)
        return 7

    seen: list[int] = []
    threads = [
        threading.Thread(target=lambda: seen.append(holder.get("v1", build))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [7] * 8
    assert len(builds) == 1


def test_a_new_version_is_rebuilt_and_an_installed_value_is_kept() -> None:
    holder: Versioned[str] = Versioned()
    assert holder.get("v1", lambda: "first") == "first"
    assert holder.get("v1", lambda: "never built") == "first"
    assert holder.get("v2", lambda: "second") == "second"
    holder.put("v3", "warm")
    assert holder.get("v3", lambda: "never built") == "warm"


PROPOSAL = (
    "关于支持县域园区完善标准厂房配套的提案\n"
    "案由：部分园区标准厂房水电配套不足，企业入驻后迟迟不能投产。\n"
    "建议：一是统筹专项资金补齐配套；二是建立园区项目服务专班，帮助企业解决用电用水问题。"
)


def test_start_up_builds_the_triager_and_a_triage_request_only_reads_it(
    make_services, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = make_services()
    assert services.triager.current() is not None  # built by build_services

    def no_fit(*_args, **_kwargs):
        raise AssertionError("a request fitted the triager")

    monkeypatch.setattr(Triager, "fit", no_fit)
    triaged = proposal_service.triage(services, PROPOSAL)
    assert triaged.result.title and triaged.draft_text
