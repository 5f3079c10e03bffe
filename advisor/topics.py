"""Which topic of the question library (knowledge/questions.yml) a message asks about.

The library's example phrasings are the training data, read when the knowledge file loads:
a topic that staff add or extend is recognised without retraining the Rasa model. The
sentence vectors come from the caller (the NLU component passes the MiniLM encoder it
shares with the featurizer), so this module knows nothing of Rasa.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from advisor.knowledge import Knowledge

# The caller's two halves of encoding: example text -> spoken form (names masked, cheap),
# spoken form -> sentence vector (the encoder).
Speak = Callable[[Sequence[str]], list[str]]
Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class TopicGuess:
    """The recogniser's view of one message: topics by probability, and the topic of the
    single most similar example phrasing."""

    ranking: tuple[tuple[str, float], ...]
    nearest: str | None = None
    similarity: float = 0.0  # cosine similarity to that nearest example

    @property
    def best(self) -> tuple[str | None, float]:
        return self.ranking[0] if self.ranking else (None, 0.0)


class TopicRecogniser:
    """Recognises the question library's topics from their example phrasings.

    A logistic regression over the examples' sentence vectors, fitted when the knowledge
    file loads (about a second for a thousand examples), so a topic that staff add or
    extend is recognised without retraining the Rasa model. Vectors of unchanged examples
    are reused across edits. The nearest single example is kept beside the probabilities:
    when both point to the same topic, a lower probability is enough."""

    C = 100.0  # inverse regularisation; 30 and 100 were tried, 100 was best on held-out text

    def __init__(self, speak: Speak, embed: Embed, cache: Path | None = None) -> None:
        """``cache``: a file that keeps example vectors across restarts (encoding a thousand
        examples takes about 30 s here; reading them back, milliseconds)."""
        self._speak = speak
        self._embed = embed
        self._cache_path = cache
        self._cache = _read_vectors(cache)
        self._seen: Knowledge | None = None
        self._built_for: tuple | None = None
        self._labels: list[str] = []
        self._matrix = np.zeros((0, 0))
        self._model: LogisticRegression | None = None

    def update(self, knowledge: Knowledge) -> None:
        if knowledge is self._seen:
            return  # the same snapshot: nothing to do (called for every message)
        self._seen = knowledge
        raw = [(q.id, e) for q in knowledge.questions for e in q.examples]
        # Vectors are kept by the spoken form (program names masked): a new or renamed
        # program re-encodes only the examples that name it.
        examples = list(zip((t for t, _ in raw), self._speak([e for _, e in raw]), strict=True))
        key = tuple(examples)
        if key == self._built_for:
            return
        missing = list(dict.fromkeys(e for _, e in examples if e not in self._cache))
        if missing:
            for text, vector in zip(missing, self._embed(missing), strict=True):
                self._cache[text] = _unit(vector)
            _write_vectors(self._cache_path, {e: self._cache[e] for _, e in examples})
        self._labels = [topic for topic, _ in examples]
        self._model = None
        if len(set(self._labels)) >= 2:
            self._matrix = np.vstack([self._cache[e] for _, e in examples])
            self._model = LogisticRegression(C=self.C, max_iter=5000, random_state=0)
            self._model.fit(self._matrix, self._labels)
        self._built_for = key

    def guess(self, vector: np.ndarray) -> TopicGuess:
        if self._model is None:
            return TopicGuess(())
        unit = _unit(vector)
        probabilities = self._model.predict_proba(unit.reshape(1, -1))[0]
        order = np.argsort(probabilities)[::-1]
        ranking = tuple((str(self._model.classes_[i]), float(probabilities[i])) for i in order)
        similarities = self._matrix @ unit
        index = int(np.argmax(similarities))
        return TopicGuess(ranking, self._labels[index], float(similarities[index]))


def _read_vectors(path: Path | None) -> dict[str, np.ndarray]:
    """Vector by spoken example, as last written; empty if unreadable."""
    if path is None or not path.exists():
        return {}
    try:
        with np.load(path, allow_pickle=False) as data:
            return dict(zip(data["spoken"].tolist(), data["vectors"], strict=True))
    except (OSError, ValueError, KeyError):
        return {}  # unreadable, or written by an older version: computed again


def _write_vectors(path: Path | None, vectors: dict[str, np.ndarray]) -> None:
    """Atomically, so that two servers starting together never read half a file."""
    if path is None or not vectors:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.npz")
        np.savez(partial, spoken=np.array(list(vectors)), vectors=np.vstack(list(vectors.values())))
        os.replace(partial, path)
    except OSError:
        pass  # a read-only disk only costs time at the next start


def _unit(vector: np.ndarray) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
