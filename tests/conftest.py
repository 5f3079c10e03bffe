"""Fixtures that run the real bot (see scripts/live.py) for the tests marked ``live``."""

from collections.abc import Iterator

import pytest

from scripts.live import Bot


@pytest.fixture(scope="session")
def bot(tmp_path_factory) -> Iterator[Bot]:
    running = Bot(tmp_path_factory.mktemp("bot")).start()
    try:
        yield running
    finally:
        running.stop()
