"""Rasa NLU component: program and state names, derived from ``knowledge/programs.yml``.

It does two things with every message, in training and at prediction alike:

1. **Entities.** At prediction it tags ``program`` (value: the program id) and ``us_state``
   (value: the state's name), for the actions to read.
2. **Name masking.** It replaces the tokens of each name with one placeholder token
   (``__program__``, ``__state__``) before the featurizers see them. The intent classifier
   therefore learns "how much is __program__?", never "how much is Weber?": a question's
   intent cannot depend on which school it names ("Utah" used to pull questions towards
   *location*), and a program that staff add later is classified exactly like the others.

Nothing is learned and nothing is stored in the model: names are read from the knowledge file
when the server starts and again whenever staff edit it (``KnowledgeStore``), so a new program
or alias works without new NLU examples and without retraining. The matching itself lives in
``advisor.matching``, shared with the action server.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from advisor.knowledge import KnowledgeStore
from advisor.matching import PROGRAM, US_STATE, NameMatch, NameMatcher, matcher_for

logger = logging.getLogger(__name__)

PLACEHOLDERS = {PROGRAM: "__program__", US_STATE: "__state__"}


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
        # A featurizer too, so that Rasa runs it on the training data before the featurizers.
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
)
class KnowledgeEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Finds program and state names from the knowledge file and masks them for the
    featurizers."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # None: the knowledge directory of the environment (PACS_KNOWLEDGE_DIR) or ./knowledge.
        return {"knowledge_dir": None}

    def __init__(self, config: dict[str, Any]) -> None:
        self._store = KnowledgeStore(
            config.get("knowledge_dir"),
            on_error=lambda error: logger.error(
                "Knowledge edit refused, still using the last good version:\n%s", error
            ),
        )

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KnowledgeEntityExtractor:
        return cls(config)

    def _current_matcher(self) -> NameMatcher:
        return matcher_for(self._store.current())

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Mask names in the training examples; their annotated entities stay untouched."""
        matcher = self._current_matcher()
        for message in training_data.training_examples:
            if message.get(TEXT):
                _mask(message, matcher.find(message.get(TEXT)))
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        matcher = self._current_matcher()
        for message in messages:
            found = matcher.find(message.get(TEXT) or "")
            _mask(message, found)
            entities = [
                {
                    "entity": match.entity,
                    "value": match.value,
                    "start": match.start,
                    "end": match.end,
                    "confidence_entity": round(match.score / 100.0, 3),
                }
                for match in found
            ]
            message.set(
                ENTITIES,
                message.get(ENTITIES, []) + self.add_extractor_name(entities),
                add_to_output=True,
            )
        return messages


def _mask(message: Message, found: list[NameMatch]) -> None:
    """Replace the tokens of each name by one placeholder token."""
    tokens: list[Token] = message.get(TOKENS_NAMES[TEXT]) or []
    if not found or not tokens:
        return
    masked: list[Token] = []
    for token in tokens:
        match = next((m for m in found if token.start < m.end and m.start < token.end), None)
        if match is None:
            masked.append(token)
        elif not masked or masked[-1].start < match.start:
            masked.append(
                Token(PLACEHOLDERS[match.entity], match.start, match.end, data=dict(token.data))
            )
    message.set(TOKENS_NAMES[TEXT], masked)
