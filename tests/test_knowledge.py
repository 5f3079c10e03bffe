"""The knowledge files refuse broken edits clearly: every error names the file, the entry and
the field, and a running store keeps the last good version.

On a writable copy of the test knowledge directory (tests/fixtures/knowledge); the real
file's facts are checked in tests/test_real_facts.py.
"""

import pytest
from conftest import edit_programs

from advisor.knowledge import KnowledgeError, KnowledgeStore, load

# --- validation: errors name file, entry and field -------------------------------------------


def test_a_misspelled_field_is_named_with_file_entry_and_field(knowledge_copy):
    def misspell(programs):
        programs[2]["tution"] = programs[2].pop("tuition")

    edit_programs(knowledge_copy, misspell)
    with pytest.raises(KnowledgeError) as error:
        load(knowledge_copy)
    message = str(error.value)
    assert "programs.yml" in message
    assert "entry #3 (id 'weber')" in message
    assert "field 'tution'" in message


def test_a_wrong_tuition_unit_is_named_down_to_the_list_item(knowledge_copy):
    edit_programs(knowledge_copy, lambda p: p[3]["tuition"][0].update(unit="per_credits"))
    with pytest.raises(KnowledgeError) as error:
        load(knowledge_copy)
    message = str(error.value)
    assert "entry #4 (id 'clarkson'), field 'tuition[0].unit'" in message
    assert "per_credit" in message  # the permitted values are listed


def test_a_duplicate_alias_across_programs_is_refused(knowledge_copy):
    edit_programs(knowledge_copy, lambda p: p[0]["aliases"].append("Weber"))
    with pytest.raises(
        KnowledgeError, match=r"entry #3 \(id 'weber'\).*'Weber' already names 'oit'"
    ):
        load(knowledge_copy)


def test_broken_yaml_reports_the_line(knowledge_copy):
    (knowledge_copy / "programs.yml").write_text("programs:\n  - id: x\n    name: [unclosed\n")
    with pytest.raises(KnowledgeError, match=r"programs.yml: line \d+, column \d+: not valid YAML"):
        load(knowledge_copy)


def test_store_reloads_an_edit_and_keeps_the_last_good_version_on_a_bad_one(knowledge_copy):
    errors = []
    store = KnowledgeStore(knowledge_copy, check_interval=0, on_error=errors.append)
    edit_programs(knowledge_copy, lambda p: p[3]["tuition"][0].update(amount=700))
    assert store.current().program("clarkson").tuition[0].amount == 700

    edit_programs(knowledge_copy, lambda p: p[3]["tuition"][0].update(amount=-5))
    assert store.current().program("clarkson").tuition[0].amount == 700
    assert "entry #4 (id 'clarkson'), field 'tuition[0].amount'" in errors[-1]
