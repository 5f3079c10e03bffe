"""The intent classifier: stored with the model, loaded back, and never served without it."""

from __future__ import annotations

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.embedding_intent_classifier import (
    MODEL_FILE,
    EmbeddingIntentClassifier,
    MissingIntentModel,
)
from components.minilm import encoder

EXAMPLES = {
    "greet": ["hello", "hi there", "good morning"],
    "ask_question": ["how much does it cost", "how long does it take", "is it online"],
    "compare_programs": ["compare the two", "which one is better", "put them side by side"],
}


def featurized(text: str, intent: str | None = None) -> Message:
    """A message with the sentence feature the SentenceEmbeddingFeaturizer gives it."""
    message = Message(data={TEXT: text, **({INTENT: intent} if intent else {})})
    features = Features(encoder().encode([text]), FEATURE_TYPE_SENTENCE, TEXT, "test")
    message.add_features(features)
    return message


def trained(storage: LocalModelStorage, resource: Resource, examples: dict) -> None:
    classifier = EmbeddingIntentClassifier.create(
        EmbeddingIntentClassifier.get_default_config(), storage, resource, None
    )
    messages = [featurized(t, intent) for intent, texts in examples.items() for t in texts]
    classifier.train(TrainingData(messages))


def load(storage: LocalModelStorage, resource: Resource) -> EmbeddingIntentClassifier:
    config = EmbeddingIntentClassifier.get_default_config()
    return EmbeddingIntentClassifier.load(config, storage, resource, None)


@pytest.fixture
def storage(tmp_path) -> LocalModelStorage:
    return LocalModelStorage(tmp_path)


RESOURCE = Resource("train_EmbeddingIntentClassifier0")


def test_a_trained_classifier_is_stored_and_loaded_back(storage):
    trained(storage, RESOURCE, EXAMPLES)
    message = featurized("hello, good evening")
    load(storage, RESOURCE).process([message])
    assert message.get(INTENT)["name"] == "greet"
    assert len(message.get("intent_ranking")) == len(EXAMPLES)


def test_a_model_without_the_classifier_is_refused_with_a_clear_error(storage):
    with pytest.raises(MissingIntentModel) as refused:
        load(storage, RESOURCE)
    assert f"no intent classifier ({MODEL_FILE}" in str(refused.value)
    assert "Train again: make train" in str(refused.value)


def test_a_deleted_classifier_file_is_refused_with_the_same_error(storage):
    trained(storage, RESOURCE, EXAMPLES)
    with storage.read_from(RESOURCE) as directory:
        (directory / MODEL_FILE).unlink()
    with pytest.raises(MissingIntentModel, match=MODEL_FILE):
        load(storage, RESOURCE)


def test_training_on_a_single_intent_leaves_a_model_that_is_refused(storage):
    trained(storage, RESOURCE, {"greet": EXAMPLES["greet"]})
    with pytest.raises(MissingIntentModel, match="at least two intents"):
        load(storage, RESOURCE)
