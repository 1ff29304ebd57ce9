"""Bench tests reuse the NLP fixtures: a small seeded base and a session-trained model."""

from __future__ import annotations

from tests.nlp.conftest import jieba_cache, model_cache, seeded_assistant, tokenizer

__all__ = ["jieba_cache", "model_cache", "seeded_assistant", "tokenizer"]
