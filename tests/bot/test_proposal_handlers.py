"""Proposal handlers: triage replies, /tian list and detail, admin-only status buttons."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from sqlalchemy import func, select

from bot import proposal_handlers as ph
from bot.incoming import Incoming
from bot.proposal_service import TOKENIZER_KEY
from bot.services import Services, open_services
from bot.settings import Settings
from db import proposals as store
from db.models import Proposal, ProposalEvent
from nlp.tokenizer import ChineseTokenizer
from tests.nlp.triage_support import FINANCE, P084, SCHOOL, domain_tokenizer

ADMIN, STAFF = 1, 2
TODAY = dt.date(2021, 3, 1)


@pytest.fixture(scope="module")
def tokenizer(tmp_path_factory: pytest.TempPathFactory) -> ChineseTokenizer:
    """One warmed tokenizer for the module (jieba loading is the slow part)."""
    return domain_tokenizer(tmp_path_factory.mktemp("jieba"), [])


@pytest.fixture
def services(db_url: str, tmp_path: Path, tokenizer: ChineseTokenizer):
    """Services over a fresh database with the default base, without the answer pipeline."""
    settings = Settings(
        database_url=db_url,
        var_dir=tmp_path,
        admin_user_ids=[ADMIN],
        allowed_user_ids=[STAFF],
        proposal_due_days=91,
    )
    built = open_services(settings)
    built.tokenizer.put(TOKENIZER_KEY, tokenizer)
    yield built
    built.close()


def _msg(user: int, text: str = "", args: list[str] | None = None) -> Incoming:
    return Incoming(user_id=user, chat_id=user, text=text, args=args or [])


def _counts(services: Services) -> tuple[int, int]:
    with services.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Proposal)),
            session.scalar(select(func.count()).select_from(ProposalEvent)),
        )


def _labels(reply) -> list[str]:
    return [b.label for row in reply.buttons for b in row]


def _data(reply, label_part: str) -> str:
    return next(b.data for row in reply.buttons for b in row if label_part in b.label)


def test_triage_reply_stores_summarises_and_attaches_a_draft(services: Services) -> None:
    reply = ph.triage_reply(_msg(STAFF, P084), services, today=TODAY)
    assert reply.answered and reply.intent == "triage"
    assert "主题：" in reply.text and "相关工作：" in reply.text
    assert "二（五）" in reply.text and "已登记：ID" in reply.text
    assert "2021-05-31" in reply.text  # received + 91 days
    document = docx.Document(io.BytesIO(reply.attachments[0].data))
    assert any("收悉，现答复如下" in p.text for p in document.paragraphs)
    assert reply.attachments[0].filename.endswith(".docx")
    assert all(len(b.data.encode()) <= 64 for row in reply.buttons for b in row)
    assert _counts(services)[0] == 1


def test_the_same_proposal_twice_is_flagged_and_not_stored_again(services: Services) -> None:
    ph.triage_reply(_msg(STAFF, P084), services, today=TODAY)
    again = ph.triage_reply(_msg(STAFF, P084), services, today=TODAY)
    assert "重复" in again.text and "已登记过" in again.text
    assert _counts(services)[0] == 1


def test_a_copy_stored_by_someone_else_mid_submission_is_not_doubled(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import proposal_service
    from db import proposals as store

    first = proposal_service.triage_and_store(services, P084, actor="a", today=TODAY)
    # The other submission's check ran before this one's insert: it saw nothing stored.
    real_find = store.find_by_hash
    calls = iter([None])
    monkeypatch.setattr(store, "find_by_hash", lambda s, h: next(calls, real_find(s, h)))
    second = proposal_service.triage_and_store(services, P084, actor="b", today=TODAY)
    assert first.created and not second.created
    assert second.proposal_id == first.proposal_id
    assert _counts(services) == (1, 1)


def test_out_of_scope_reply(services: Services) -> None:
    reply = ph.triage_reply(_msg(STAFF, SCHOOL), services, today=TODAY)
    assert "主题：非本局业务" in reply.text and "相关工作" not in reply.text
    with services.sessions() as session:
        assert store.list_open(session)[0].topic == "非本局业务"


def test_too_long_is_one_message_and_stores_nothing(services: Services) -> None:
    reply = ph.triage_reply(_msg(STAFF, "建议加快项目落地。" * 3000), services, today=TODAY)
    assert not reply.answered and "上限" in reply.text
    assert _counts(services) == (0, 0)


def test_tian_lists_open_proposals_by_due_date(services: Services) -> None:
    assert "没有待办理" in ph.tian_reply(_msg(STAFF), services, today=TODAY).text
    ph.triage_reply(_msg(STAFF, FINANCE), services, today=TODAY)
    ph.triage_reply(_msg(STAFF, P084), services, today=TODAY - dt.timedelta(days=5))
    reply = ph.tian_reply(_msg(STAFF), services, today=TODAY)
    lines = reply.text.splitlines()
    assert lines[0].startswith("待办理提案 2 件")
    assert "部门联动" in lines[1] and "融资" in lines[2]
    assert "剩" in lines[1]


def test_only_admins_see_status_buttons(services: Services) -> None:
    ph.triage_reply(_msg(STAFF, P084), services, today=TODAY)
    staff = ph.tian_reply(_msg(STAFF, args=["1"]), services, today=TODAY)
    admin = ph.tian_reply(_msg(ADMIN, args=["1"]), services, today=TODAY)
    assert not any("改为" in label for label in _labels(staff))
    assert "改为「办理中」" in _labels(admin)
    assert "改为「退回」" not in _labels(admin)  # not 非本局业务, so no return
    assert "办理记录" in admin.text


def test_a_forged_status_button_from_staff_changes_nothing(services: Services) -> None:
    ph.triage_reply(_msg(STAFF, P084), services, today=TODAY)
    before = _counts(services)
    data = ph.status_button(1, "办理中").data
    reply = ph.proposal_callback(_msg(STAFF), services, data, today=TODAY)
    assert reply.text == "只有管理员可以更改提案状态。"
    assert _counts(services) == before
    with services.sessions() as session:
        assert store.get_proposal(session, 1).status == "收到"


def test_admin_moves_a_proposal_and_the_change_is_recorded(services: Services) -> None:
    ph.triage_reply(_msg(STAFF, P084), services, today=TODAY)
    shown = ph.tian_reply(_msg(ADMIN, args=["1"]), services, today=TODAY)
    reply = ph.proposal_callback(_msg(ADMIN), services, _data(shown, "办理中"), today=TODAY)
    assert reply.text.startswith("已改为「办理中」")
    assert "改为「已答复」" in _labels(reply)
    with services.sessions() as session:
        event = store.get_proposal(session, 1).events[-1]
        assert (event.actor, event.old, event.new) == (f"tg:{ADMIN}", "收到", "办理中")


def test_an_invalid_change_by_an_admin_is_explained(services: Services) -> None:
    ph.triage_reply(_msg(STAFF, P084), services, today=TODAY)
    before = _counts(services)
    data = ph.status_button(1, "已办结").data
    reply = ph.proposal_callback(_msg(ADMIN), services, data, today=TODAY)
    assert "不能改为“已办结”" in reply.text
    assert _counts(services) == before


def test_out_of_scope_can_be_returned_by_an_admin_within_ten_days(services: Services) -> None:
    ph.triage_reply(_msg(STAFF, SCHOOL), services, today=TODAY)
    shown = ph.tian_reply(_msg(ADMIN, args=["1"]), services, today=TODAY)
    assert "改为「退回」" in _labels(shown)
    later = ph.tian_reply(_msg(ADMIN, args=["1"]), services, today=TODAY + dt.timedelta(11))
    assert "改为「退回」" not in _labels(later)


@pytest.mark.parametrize("data", ["tian:", "tian:s:x:1", "tian:s:1:99", "tian:zz:1"])
def test_garbage_callback_data_is_harmless(services: Services, data: str) -> None:
    reply = ph.proposal_callback(_msg(ADMIN), services, data, today=TODAY)
    assert "按钮已失效" in reply.text
    assert _counts(services) == (0, 0)


def test_draft_button_shows_the_stored_draft(services: Services) -> None:
    ph.triage_reply(_msg(STAFF, P084), services, today=TODAY)
    reply = ph.proposal_callback(_msg(STAFF), services, ph.draft_button(1).data)
    assert "现答复如下" in reply.text and "三、关于切实提高项目落地率" in reply.text


def test_unknown_id_and_bad_argument(services: Services) -> None:
    assert "没有 ID 为 5" in ph.tian_reply(_msg(ADMIN, args=["5"]), services).text
    assert ph.tian_reply(_msg(ADMIN, args=["abc"]), services).text == ph.USAGE


def test_callback_prefix() -> None:
    assert ph.is_proposal_callback("tian:v:1")
    assert not ph.is_proposal_callback("1|src|3") and not ph.is_proposal_callback(None)


def test_the_local_console_acts_as_admin_but_a_telegram_flag_does_not(
    services: Services,
) -> None:
    ph.triage_reply(_msg(STAFF, P084), services, today=TODAY)
    console = Incoming(source="console", is_admin=True, args=["1"])
    assert "改为「办理中」" in _labels(ph.tian_reply(console, services, today=TODAY))
    forged = Incoming(user_id=STAFF, source="telegram", is_admin=True)
    reply = ph.proposal_callback(forged, services, ph.status_button(1, "办理中").data)
    assert reply.text == "只有管理员可以更改提案状态。"


def test_admin_records_the_outcome_class_once_handling(services: Services) -> None:
    ph.triage_reply(_msg(STAFF, P084), services, today=TODAY)
    assert "A类" not in _labels(ph.tian_reply(_msg(ADMIN, args=["1"]), services, today=TODAY))
    ph.proposal_callback(_msg(ADMIN), services, ph.status_button(1, "办理中").data, today=TODAY)
    shown = ph.tian_reply(_msg(ADMIN, args=["1"]), services, today=TODAY)
    assert [b for b in _labels(shown) if b.endswith("类")] == ["A类", "B类", "C类", "D类"]
    refused = ph.proposal_callback(_msg(STAFF), services, _data(shown, "B类"), today=TODAY)
    assert refused.text == ph.ADMIN_ONLY
    done = ph.proposal_callback(_msg(ADMIN), services, _data(shown, "B类"), today=TODAY)
    assert done.text.startswith("办理结果已登记为 B 类（正在解决或列入计划）")
    with services.sessions() as session:
        assert store.get_proposal(session, 1).outcome == "B"


def test_admin_assigns_a_member_of_staff(services: Services) -> None:
    ph.triage_reply(_msg(STAFF, P084), services, today=TODAY)
    refused = ph.tian_reply(_msg(STAFF, args=["1", "承办", "王五"]), services, today=TODAY)
    assert refused.text == ph.ADMIN_ONLY
    reply = ph.tian_reply(_msg(ADMIN, args=["1", "承办", "王五"]), services, today=TODAY)
    assert reply.text.startswith("承办人已设为 王五。") and "承办人：王五" in reply.text
