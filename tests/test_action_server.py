"""The action server carries no machine-learning framework: its memory is the actions'."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_action_server_with_every_action_loads_no_tensorflow_or_jax():
    script = (
        "import actions.server, actions.actions, actions.forms, actions.handoff, sys;"
        "print(sorted(m for m in ('tensorflow', 'jax') if sys.modules.get(m) is not None))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
