from __future__ import annotations

import pytest

from zhtext.proposal import TRIAGE_MIN_CHARS, looks_like_proposal


@pytest.mark.parametrize(
    "text",
    [
        "案由：加强招商",
        "关于加快园区建设的建议\n建议：……",
        "第084号提案\n关于加强部门联动的提案",
        "关于加快园区建设的建议 建议州政府加快园区道路和供水设施建设",
        "提案人：张华",
        "关于加快园区建设的建议",  # a title alone: the body is on its way
        "建议加快项目落地。" * 30,
    ],
)
def test_proposals(text: str) -> None:
    assert looks_like_proposal(text)


@pytest.mark.parametrize(
    "text",
    [
        "外资到位多少",
        "关于融资难的建议有哪些",
        "代表建议办理得怎么样",
        "第084号提案是谁提的",
    ],
)
def test_questions(text: str) -> None:
    assert not looks_like_proposal(text)


def test_length_alone_makes_a_proposal() -> None:
    assert not looks_like_proposal("问" * TRIAGE_MIN_CHARS)
    assert looks_like_proposal("问" * (TRIAGE_MIN_CHARS + 1))
