"""The Rasa NLU component: entities for the actions, masked names for the intent classifier."""

import pytest
from conftest import FIXTURE_KNOWLEDGE, edit_programs
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.knowledge_entities import KnowledgeEntityExtractor

TOKENIZER = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())


def parsed(text, component):
    message = Message(data={TEXT: text})
    TOKENIZER.process([message])
    component.process([message])
    return message


def tokens(message):
    return [t.text for t in message.get(TOKENS_NAMES[TEXT])]


def entities(message):
    return [(e["entity"], e["value"], e["extractor"]) for e in message.get(ENTITIES)]


@pytest.fixture(scope="module")
def component():
    return KnowledgeEntityExtractor({"knowledge_dir": str(FIXTURE_KNOWLEDGE)})


def test_program_and_state_names_become_entities_with_ids(component):
    message = parsed("Is Weber State cheaper than the program in Nebraska?", component)
    assert entities(message) == [
        ("program", "weber", "KnowledgeEntityExtractor"),
        ("us_state", "Nebraska", "KnowledgeEntityExtractor"),
    ]


def test_names_are_masked_for_the_intent_classifier_one_token_per_name(component):
    message = parsed("how much is Harrisburg Area Community College in Pennsylvania", component)
    assert tokens(message) == ["how", "much", "is", "__program__", "in", "__state__"]


def test_training_examples_are_masked_but_keep_their_annotations(component):
    example = Message(data={TEXT: "where is Clarkson", "intent": "ask_question"})
    TOKENIZER.process_training_data(TrainingData([example]))
    component.process_training_data(TrainingData([example]))
    assert tokens(example) == ["where", "is", "__program__"]
    assert example.get(ENTITIES) is None


def test_a_sixth_program_in_a_temporary_knowledge_file_is_recognised_and_masked(knowledge_copy):
    edit_programs(
        knowledge_copy,
        lambda programs: programs.append(
            {
                "id": "riverbend",
                "name": "Riverbend Technical College",
                "aliases": ["Riverbend", "RTC"],
                "location": {"city": "Boise", "state": "Idaho"},
                "source": "Test entry, Riverbend Technical College.",
            }
        ),
    )
    component = KnowledgeEntityExtractor({"knowledge_dir": str(knowledge_copy)})

    message = parsed("what does Riverbnd cost for someone from Idaho?", component)

    assert entities(message) == [
        ("program", "riverbend", "KnowledgeEntityExtractor"),
        ("us_state", "Idaho", "KnowledgeEntityExtractor"),
    ]
    assert tokens(message) == [
        "what",
        "does",
        "__program__",
        "cost",
        "for",
        "someone",
        "from",
        "__state__",
    ]
