"""Rasa NLU component: program and state entities, derived from ``knowledge/programs.yml``.

Nothing is learned and nothing is stored in the model: the names are read from the knowledge
file when the server starts and again whenever staff edit it (``KnowledgeStore``), so a new
program or alias is recognised without new NLU examples and without retraining. The
matching itself lives in ``advisor.matching``, shared with the action server.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from advisor.knowledge import Knowledge, KnowledgeStore
from advisor.matching import NameMatcher

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class KnowledgeEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Tags ``program`` (value: the program id) and ``us_state`` (value: the state's name)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # None: the knowledge directory of the environment (PACS_KNOWLEDGE_DIR) or ./knowledge.
        return {"knowledge_dir": None}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._store = KnowledgeStore(
            config.get("knowledge_dir"),
            on_error=lambda error: logger.error(
                "Knowledge edit refused, still using the last good version:\n%s", error
            ),
        )
        self._matcher: Optional[NameMatcher] = None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KnowledgeEntityExtractor:
        return cls(config)

    def _current_matcher(self) -> NameMatcher:
        knowledge: Knowledge = self._store.current()
        if self._matcher is None or self._matcher.knowledge is not knowledge:
            self._matcher = NameMatcher(knowledge)
        return self._matcher

    def process(self, messages: List[Message]) -> List[Message]:
        matcher = self._current_matcher()
        for message in messages:
            text = message.get(TEXT) or ""
            found = [
                {
                    "entity": match.entity,
                    "value": match.value,
                    "start": match.start,
                    "end": match.end,
                    "confidence_entity": round(match.score / 100.0, 3),
                }
                for match in matcher.find(text)
            ]
            message.set(
                ENTITIES,
                message.get(ENTITIES, []) + self.add_extractor_name(found),
                add_to_output=True,
            )
        return messages
