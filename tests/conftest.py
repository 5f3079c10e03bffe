"""Shared fixtures: the test knowledge directory (tests/fixtures/knowledge), a writable copy
of it, and the real running bot (see scripts/live.py) for the tests marked ``live``.

The unit tests of the logic read the fixture directory, never knowledge/: its tuition figures
are made up, so that staff may edit the real file without breaking them, and a test that
passes on it cannot be reading the real file. tests/test_real_facts.py checks knowledge/
itself against the source article. The live tests run the bot on a copy of knowledge/ and
take the figures they expect from that copy (``tuition_text``, ``tuition_amount``).
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import aiohttp
import pytest

# Sanic (under rasa and rasa_sdk) sets every DeprecationWarning to "once" when it is first
# imported, ahead of the warning filters of pyproject.toml, for as long as that filter list
# lives. Imported here, while pytest loads this file under a filter list it then discards,
# it cannot shadow them while the test modules are collected and run.
import sanic  # noqa: F401
import yaml

from advisor.knowledge import KnowledgeStore, load
from advisor.tuition import describe, money
from scripts.live import Bot

# The web chat speaks socket.io over WebSocket only (channels/socketio.py), and so do the
# tests' socket.io clients. python-engineio's client (4.15, pinned with python-socketio)
# names the close timeout of a WebSocket ``aiohttp.ClientWSTimeout(ws_close=...)``, which
# aiohttp 3.10 introduced; Rasa 3.6 pins aiohttp 3.9, where the same setting is the plain
# number ``timeout=``. Given that name, the clients connect.
if not hasattr(aiohttp, "ClientWSTimeout"):
    aiohttp.ClientWSTimeout = lambda ws_close=10.0, **_: ws_close  # type: ignore[attr-defined]

FIXTURE_KNOWLEDGE = Path(__file__).resolve().parent / "fixtures" / "knowledge"


def edit_programs(directory: Path, change: Callable[[list], None]) -> None:
    """Apply ``change`` to the list of programs in ``directory/programs.yml``."""
    path = directory / "programs.yml"
    data = yaml.safe_load(path.read_text())
    change(data["programs"])
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def tuition_text(directory: Path, program_id: str, index: int = 0) -> str:
    """A program's tuition figure as the bot words it ("$632 per credit hour"), read from the
    knowledge files in ``directory``."""
    return describe(load(directory).program(program_id).tuition[index])


def tuition_amount(directory: Path, program_id: str, index: int = 0) -> str:
    """The amount alone ("$632"), read from the knowledge files in ``directory``."""
    return money(load(directory).program(program_id).tuition[index].amount)


@pytest.fixture
def knowledge_copy(tmp_path) -> Path:
    """A writable copy of the test knowledge directory."""
    for source in FIXTURE_KNOWLEDGE.glob("*.yml"):
        (tmp_path / source.name).write_text(source.read_text())
    return tmp_path


@pytest.fixture(scope="module")
def actions_on_fixture_knowledge() -> Iterator[None]:
    """The actions answer from the test knowledge directory while a module's tests run."""
    from actions.actions import use_store

    use_store(KnowledgeStore(FIXTURE_KNOWLEDGE))
    try:
        yield
    finally:
        use_store(None)


@pytest.fixture(scope="session")
def bot(tmp_path_factory) -> Iterator[Bot]:
    running = Bot(tmp_path_factory.mktemp("bot")).start()
    try:
        yield running
    finally:
        running.stop()
