"""The Rasa server's launcher (``python -m scripts.rasa_server run``): its workers share what
they import with the process they were forked from, instead of each holding a copy."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.live import ROOT
from scripts.rasa_server import _run_options, module_paths


def test_a_channel_named_by_module_path_is_preloaded_rasas_own_are_not():
    credentials = {
        "rest": None,
        "channels.socketio.AdvisorSocketIOInput": {"user_message_evt": "u"},
    }
    assert module_paths(credentials) == {"channels.socketio"}


def test_an_endpoints_custom_store_type_is_preloaded_a_url_and_rasas_own_types_are_not():
    endpoints = {
        "action_endpoint": {"url": "http://127.0.0.1:5055/webhook"},
        "tracker_store": {"type": "stores.trackers.SQLiteTrackerStore", "db": "var/t.db"},
        "lock_store": {"type": "redis", "url": "localhost"},
        "models": None,
    }
    assert module_paths(endpoints) == {"stores.trackers"}


@pytest.mark.parametrize("settings", [None, [], "text", {"key": 3}])
def test_a_settings_file_of_another_shape_names_nothing(settings):
    assert module_paths(settings) == set()


def test_the_files_are_read_from_rasa_runs_options_or_its_defaults():
    given = _run_options(["--model", "m.tar.gz", "--port", "1", "--endpoints", "e.yml"])
    assert (given.model, given.credentials, given.endpoints) == (
        "m.tar.gz",
        "credentials.yml",
        "e.yml",
    )


PRELOAD = """
import json, sys
from scripts.rasa_server import preload
imported = preload(sys.argv[1:])
try:
    import jax  # noqa: F401
    jax_found = True
except ImportError:
    jax_found = False
print(json.dumps({"imported": imported, "jax": jax_found}))
"""


def _preload(*argv: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PRELOAD, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.live
def test_the_models_components_and_the_projects_channels_and_stores_are_imported_before_the_fork():
    found = _preload("run", "--model", "models/current.tar.gz", "--endpoints", "endpoints.yml")
    assert {
        "components.understanding",
        "components.sentence_featurizer",
        "rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer",
        "channels.socketio",
        "stores.trackers",
        "stores.locks",
    } <= set(found["imported"])
    assert found["jax"] is False


@pytest.mark.live
def test_a_missing_model_or_settings_file_is_skipped_for_rasa_run_to_report(tmp_path):
    missing = [str(tmp_path / name) for name in ("none.tar.gz", "c.yml", "e.yml")]
    found = _preload(
        "run", "--model", missing[0], "--credentials", missing[1], "--endpoints", missing[2]
    )
    assert found["imported"] == []


def _memory(pid: int) -> dict[str, int]:
    lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]
    return {line.split(":")[0]: int(line.split()[1]) for line in lines}


@pytest.mark.live
def test_each_worker_shares_more_memory_with_its_parent_than_it_holds_alone(bot):
    """Measured with 2 workers: 78 MB private, 255 MB shared each; without the preloading and
    the frozen objects, 217 MB private and 152 MB shared."""
    found = subprocess.run(["pgrep", "-P", str(bot.rasa.pid)], capture_output=True, text=True)
    workers = [int(pid) for pid in found.stdout.split()]
    assert len(workers) == 2
    for worker in workers:
        memory = _memory(worker)
        assert memory["Private_Dirty"] < memory["Shared_Dirty"], memory
