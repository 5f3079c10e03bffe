"""Which topic of the question library (knowledge/questions.yml) a message asks about.

The library's example phrasings are the training data, read when the knowledge file loads:
a topic that staff add or extend is recognised without retraining the Rasa model. The
sentence vectors come from the caller (the NLU component passes the MiniLM encoder it
shares with the featurizer), so this module knows nothing of Rasa.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from advisor.knowledge import Knowledge

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

    def __init__(self, embed: Embed, cache: Path | None = None) -> None:
        """``cache``: a file that keeps example vectors across restarts (encoding a thousand
        examples takes about 20 s on one core; reading them back, milliseconds)."""
        self._embed = embed
        self._cache_path = cache
        self._names, self._cache = _read_vectors(cache)
        self._built_for: tuple | None = None
        self._labels: list[str] = []
        self._matrix = np.zeros((0, 0))
        self._model: LogisticRegression | None = None

    def update(self, knowledge: Knowledge) -> None:
        names = _names_fingerprint(knowledge)
        key = (names, tuple((q.id, tuple(q.examples)) for q in knowledge.questions))
        if key == self._built_for:
            return
        if names != self._names:
            # Program names are masked before encoding: new names, new vectors.
            self._names, self._cache = names, {}
        examples = [(q.id, e) for q in knowledge.questions for e in q.examples]
        missing = list(dict.fromkeys(e for _, e in examples if e not in self._cache))
        if missing:
            for text, vector in zip(missing, self._embed(missing), strict=True):
                self._cache[text] = _unit(vector)
            kept = {e: self._cache[e] for _, e in examples}
            _write_vectors(self._cache_path, names, kept)
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


def _names_fingerprint(knowledge: Knowledge) -> str:
    """Every name the masking replaces: the vectors depend on them."""
    names = sorted(
        name
        for program in knowledge.programs
        for name in (*program.names, program.location.city, program.location.state)
    )
    return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()


def _read_vectors(path: Path | None) -> tuple[str, dict[str, np.ndarray]]:
    """(names fingerprint, vector by example text) as last written; empty if unreadable."""
    if path is None or not path.exists():
        return "", {}
    try:
        with np.load(path, allow_pickle=False) as data:
            vectors = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
            return str(data["names"]), vectors
    except (OSError, ValueError, KeyError):
        return "", {}  # unreadable: the vectors are computed again


def _write_vectors(path: Path | None, names: str, vectors: dict[str, np.ndarray]) -> None:
    """Atomically, so that two servers starting together never read half a file."""
    if path is None or not vectors:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.npz")
        np.savez(
            partial,
            names=np.array(names),
            texts=np.array(list(vectors)),
            vectors=np.vstack(list(vectors.values())),
        )
        os.replace(partial, path)
    except OSError:
        pass  # a read-only disk only costs time at the next start


def _unit(vector: np.ndarray) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float32).reshape(-1)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
