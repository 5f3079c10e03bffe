"""The NumPy MiniLM encoder gives the vectors of the reference implementation.

``components/minilm.py`` is a hand-written forward pass; the reference is sentence-transformers
on PyTorch, run on the same weights and tokenizer by ``scripts/reference_vectors.py``, whose
vectors are kept in ``tests/fixtures/minilm_reference.json``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from components import minilm
from components.minilm import DIMENSIONS, MiniLMEncoder, default_model_dir, encoder

FIXTURE = Path(__file__).parent / "fixtures" / "minilm_reference.json"
REFERENCE = json.loads(FIXTURE.read_text(encoding="utf-8"))
SENTENCES = [s["text"] for s in REFERENCE["sentences"]]
VECTORS = np.array([s["vector"] for s in REFERENCE["sentences"]], dtype=np.float64)
AGREEMENT = 0.999  # cosine between our vector and the reference vector of the same text


def assert_agrees(vector: np.ndarray, reference: np.ndarray, text: str) -> None:
    cosine = float(vector @ reference / (np.linalg.norm(vector) * np.linalg.norm(reference)))
    assert cosine >= AGREEMENT, f"cosine {cosine:.6f} with the reference for {text!r}"


@pytest.fixture(scope="module")
def batch() -> np.ndarray:
    """All sentences in one padded batch, as the featurizer encodes training data."""
    return encoder().encode(SENTENCES)


def test_the_fixture_holds_some_twenty_distinct_sentences_of_unit_vectors():
    assert len(SENTENCES) >= 20 and len(set(SENTENCES)) == len(SENTENCES)
    assert VECTORS.shape == (len(SENTENCES), DIMENSIONS)
    np.testing.assert_allclose(np.linalg.norm(VECTORS, axis=1), 1.0, atol=1e-4)


def test_the_fixture_was_computed_from_the_files_the_bot_loads():
    """Other weights (a new release of the package) need new reference vectors."""
    for name, digest in REFERENCE["sha256"].items():
        actual = hashlib.sha256((default_model_dir() / name).read_bytes()).hexdigest()
        assert actual == digest, f"{name} changed: run scripts/reference_vectors.py again"


def test_texts_are_cut_where_the_reference_cuts_them():
    assert encoder().max_tokens == REFERENCE["max_seq_length"] == 256
    longest = max(SENTENCES, key=len)
    assert len(encoder().tokenizer.encode(longest).ids) == 256  # the fixture tests the cut


@pytest.mark.parametrize("index", range(len(SENTENCES)), ids=lambda i: f"{i}:{SENTENCES[i][:30]}")
def test_each_vector_agrees_with_the_reference_in_a_batch_and_alone(batch, index):
    text = SENTENCES[index]
    assert_agrees(batch[index], VECTORS[index], text)
    assert_agrees(encoder()._compute([text])[0], VECTORS[index], text)  # not from the cache


def test_the_agreement_threshold_tells_sentences_apart(batch):
    """A wrong vector fails: every other sentence's reference, and a slightly disturbed one."""
    for i in range(len(SENTENCES)):
        for j in range(len(SENTENCES)):
            if i != j:
                with pytest.raises(AssertionError):
                    assert_agrees(batch[i], VECTORS[j], SENTENCES[i])
    disturbed = VECTORS[0] + np.random.default_rng(0).normal(0, 0.005, DIMENSIONS)
    with pytest.raises(AssertionError):
        assert_agrees(batch[0], disturbed, SENTENCES[0])


def test_missing_model_files_are_named(tmp_path):
    (tmp_path / "tokenizer.json").write_text("{}")
    with pytest.raises(FileNotFoundError, match="model.safetensors, sentence_bert_config.json"):
        MiniLMEncoder(tmp_path)


def test_a_sentence_seen_before_comes_from_the_cache_with_the_same_vector(monkeypatch):
    fresh = MiniLMEncoder(default_model_dir())
    first = fresh.encode(["how much is it?", "where is it?"])
    computed: list[list[str]] = []
    compute = fresh._compute
    monkeypatch.setattr(fresh, "_compute", lambda texts: computed.append(texts) or compute(texts))

    again = fresh.encode(["where is it?", "is it online?", "how much is it?", "is it online?"])

    assert computed == [["is it online?"]]  # only the new sentence, once
    np.testing.assert_array_equal(again[0], first[1])
    np.testing.assert_array_equal(again[2], first[0])
    np.testing.assert_array_equal(again[1], again[3])


def test_the_cache_keeps_the_latest_sentences_only(monkeypatch):
    monkeypatch.setattr(minilm, "CACHED_SENTENCES", 2)
    fresh = MiniLMEncoder(default_model_dir())
    fresh.encode(["one", "two"])
    fresh.encode(["one", "three"])  # "one" used again: "two" is the oldest

    assert list(fresh._cache) == ["one", "three"]
