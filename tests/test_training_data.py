"""The training data stays honest: held-out questions are never trained on, and Rasa reads
the domain, the rules and the stories without a warning."""

from pathlib import Path

import yaml
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.validator import Validator

from advisor.knowledge import load, normalise
from scripts.heldout import figures

ROOT = Path(__file__).resolve().parent.parent


def training_examples():
    data = yaml.safe_load((ROOT / "data" / "nlu.yml").read_text())
    for block in data["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                yield normalise(line.strip()[2:])


def held_out_turns():
    for path in sorted((ROOT / "tests" / "heldout").glob("*.yml")):
        for conversation in yaml.safe_load(path.read_text())["conversations"]:
            yield from conversation["turns"]


def held_out_questions():
    for turn in held_out_turns():
        yield normalise(turn["say"])


def test_no_held_out_question_appears_in_the_training_data():
    trained = set(training_examples())
    assert [q for q in held_out_questions() if q in trained] == []


def test_there_are_at_least_60_held_out_questions():
    assert len(list(held_out_questions())) >= 60


def test_no_training_example_is_listed_twice():
    examples = list(training_examples())
    assert len(examples) == len(set(examples))


def test_every_figure_a_held_out_expectation_names_is_in_the_knowledge_file():
    named = figures(load())
    unresolved = []
    for turn in held_out_turns():
        for text in turn.get("expect", []) + turn.get("forbid", []):
            try:
                text.format_map(named)
            except (KeyError, AttributeError, IndexError, ValueError) as error:
                unresolved.append((text, repr(error)))
    assert unresolved == []


def test_rasa_reads_the_domain_rules_stories_and_examples_without_a_warning():
    """A warning Rasa raises about them is an error in the tests (pyproject.toml): a story
    with an intent the domain lacks, a slot mapping to no intent, a rule contradicting a
    story all fail here. Not checked: Rasa's "utterance not used in any story or rule",
    which counts utter_rephrase as unused although it is the fallback of config.yml."""
    importer = TrainingDataImporter.load_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")]
    )
    validator = Validator.from_importer(importer)
    assert validator.verify_domain_validity()
    assert validator.verify_intents(ignore_warnings=False)
    assert validator.verify_example_repetition_in_intents(ignore_warnings=False)
    assert validator.verify_intents_in_stories(ignore_warnings=False)
    assert validator.verify_forms_in_stories_rules()
    assert validator.verify_actions_in_stories_rules()
    assert validator.verify_story_structure(ignore_warnings=False)
