"""Shared fixtures: a writable copy of the knowledge files, and the real running bot
(see scripts/live.py) for the tests marked ``live``."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from scripts.live import ROOT, Bot


def edit_programs(directory: Path, change: Callable[[list], None]) -> None:
    """Apply ``change`` to the list of programs in ``directory/programs.yml``."""
    path = directory / "programs.yml"
    data = yaml.safe_load(path.read_text())
    change(data["programs"])
    path.write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.fixture
def knowledge_copy(tmp_path) -> Path:
    """A writable copy of the knowledge directory."""
    for source in (ROOT / "knowledge").glob("*.yml"):
        (tmp_path / source.name).write_text(source.read_text())
    return tmp_path


@pytest.fixture(scope="session")
def bot(tmp_path_factory) -> Iterator[Bot]:
    running = Bot(tmp_path_factory.mktemp("bot")).start()
    try:
        yield running
    finally:
        running.stop()
