from __future__ import annotations

import pickle
from pathlib import Path

from nlp.tokenizer import ChineseTokenizer, Span


def test_user_words_stay_whole(tokenizer: ChineseTokenizer) -> None:
    words = tokenizer.words("县市党政一把手去省外招商几次")
    assert "一把手" in words
    assert tokenizer.words("州外到位资金增长多少")[0] == "州外到位资金"


def test_programme_slogan_with_numeral_stays_whole(tokenizer: ChineseTokenizer) -> None:
    assert "五个一百" in tokenizer.words("五个一百工程进展")


def test_spans_give_offsets_into_the_text(tokenizer: ChineseTokenizer) -> None:
    text = "外资多少 19.4%"
    spans = tokenizer.spans(text)
    assert spans[0] == Span("外资", 0, 2)
    for span in spans:
        assert text[span.start : span.end] == span.word


def test_whitespace_and_punctuation_are_not_words(tokenizer: ChineseTokenizer) -> None:
    assert tokenizer.words("招商，  引资？") == ["招商", "引资"]


def test_pickle_drops_the_jieba_instance_and_reloads_on_use(tokenizer: ChineseTokenizer) -> None:
    clone = pickle.loads(pickle.dumps(tokenizer))
    assert not clone.initialized
    assert clone.words("实际到位外资金额") == ["实际到位外资", "金额"]
    assert clone.initialized


def test_dictionary_is_written_into_the_cache_dir(tmp_path: Path) -> None:
    tok = ChineseTokenizer(["楚雄彝族自治州投促局"], tmp_path, main_words=2000).initialize()
    files = sorted(p.suffix for p in tmp_path.iterdir())
    assert files == [".cache", ".txt"]
    assert "楚雄彝族自治州投促局" in tok.words("楚雄彝族自治州投促局的答复")


def test_changed_user_words_replace_the_old_dictionary(tmp_path: Path) -> None:
    ChineseTokenizer(["甲乙丙丁"], tmp_path, main_words=1000).initialize()
    ChineseTokenizer(["戊己庚辛"], tmp_path, main_words=1000).initialize()
    dicts = list(tmp_path.glob("*.txt"))
    assert len(dicts) == 1
    assert "戊己庚辛" in dicts[0].read_text(encoding="utf-8")


def test_constructor_does_no_work(tmp_path: Path) -> None:
    ChineseTokenizer(["甲乙丙丁"], tmp_path / "never")
    assert not (tmp_path / "never").exists()
