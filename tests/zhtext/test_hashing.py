from __future__ import annotations

import hashlib

from zhtext.hashing import content_hash


def test_layout_does_not_change_the_hash() -> None:
    assert content_hash("招商 引资\n工作\t总结") == content_hash("招商引资工作总结")


def test_words_do_change_the_hash() -> None:
    assert content_hash("招商引资工作总结") != content_hash("招商引资工作计划")


def test_the_stored_value_is_the_sha256_of_the_text_without_whitespace() -> None:
    # Stored hashes depend on this exact rule: documents already in a database must still match.
    assert content_hash(" 甲 乙\n") == hashlib.sha256("甲乙".encode()).hexdigest()
