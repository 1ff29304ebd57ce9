"""The composition root builds every artifact at start-up: no request fits anything."""

from __future__ import annotations

import pytest

from bot import proposal_service
from nlp.triage import Triager

PROPOSAL = (
    "关于支持县域园区完善标准厂房配套的提案\n"
    "案由：部分园区标准厂房水电配套不足，企业入驻后迟迟不能投产。\n"
    "建议：一是统筹专项资金补齐配套；二是建立园区项目服务专班，帮助企业解决用电用水问题。"
)


def test_start_up_builds_the_triager_and_a_triage_request_only_reads_it(
    make_services, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = make_services()
    assert proposal_service.TRIAGER_KEY in services.extras  # built by build_services

    def no_fit(*_args, **_kwargs):
        raise AssertionError("a request fitted the triager")

    monkeypatch.setattr(Triager, "fit", no_fit)
    triaged = proposal_service.triage(services, PROPOSAL)
    assert triaged.result.title and triaged.draft_text
