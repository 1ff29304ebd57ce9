"""Training examples phrased from the knowledge base's own names."""

from __future__ import annotations

from collections import Counter

from nlp.training_data import KB_EXAMPLES_PER_KIND, examples_hash, kb_examples


def test_kb_examples_cover_each_kind_from_the_base(seeded_assistant) -> None:
    texts, labels = kb_examples(seeded_assistant.snapshot)
    counts = Counter(labels)
    assert {"indicator", "measure", "plan"} <= set(counts)
    assert all(n <= KB_EXAMPLES_PER_KIND for n in counts.values())
    indicator_names = {i.name for i in seeded_assistant.snapshot.indicators}
    asked = [t for t, label in zip(texts, labels, strict=True) if label == "indicator"]
    assert all(any(name in t for name in indicator_names) for t in asked)
    plans = [t for t, label in zip(texts, labels, strict=True) if label == "plan"]
    assert any("拓宽融资渠道" in t for t in plans)
    assert all("，" not in t for t in plans)  # titles cut at their first clause


def test_kb_examples_are_stable_and_hashed(seeded_assistant) -> None:
    first = kb_examples(seeded_assistant.snapshot)
    assert first == kb_examples(seeded_assistant.snapshot)
    assert examples_hash(*first) != examples_hash(first[0][:-1], first[1][:-1])
