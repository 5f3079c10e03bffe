"""Start the real bot — the rasa_sdk action server and the Rasa server — for tests and tools.

Each ``Bot`` gets its own free ports and a tracker database in its own directory, so it
neither disturbs nor depends on a bot started with ``make run``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TypeVar

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "current.tar.gz"
T = TypeVar("T", bound="WithActionServer")
DEFAULT_WORKERS = 2  # as make run: one Rasa worker per core of the 2-core machines


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            command = process.args if isinstance(process.args, list) else [process.args]
            raise RuntimeError(f"{command[:3]} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


class Server:
    """One server process with its log file; ``start``/``stop`` can be repeated."""

    def __init__(
        self, args: list[str], ready_url: str, log: Path, env: dict, cwd: Path = ROOT
    ) -> None:
        self.args, self.ready_url, self.log, self.env, self.cwd = args, ready_url, log, env, cwd
        self.process: subprocess.Popen | None = None
        self.startup_seconds: float | None = None

    def start(self) -> Server:
        started = time.monotonic()
        with open(self.log, "ab") as log:
            # a process group of its own: the server and its worker processes end together
            self.process = subprocess.Popen(
                self.args,
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(self.ready_url, self.process)
        self.startup_seconds = time.monotonic() - started
        return self

    @property
    def pid(self) -> int:
        """The running process's id."""
        if self.process is None:
            raise RuntimeError(f"{self.args[:3]} has not been started")
        return self.process.pid

    def _signal_all(self, signal_number: int) -> None:
        """Send a signal to the server and its worker processes."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal_number)

    def kill(self) -> None:
        """SIGKILL the server and its workers: no shutdown handler runs."""
        self._signal_all(signal.SIGKILL)
        if self.process is not None:
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self._signal_all(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._signal_all(signal.SIGKILL)  # a worker that outlived its server


class WithActionServer:
    """A bot of two servers: the action server starts first and stops last."""

    actions: Server
    rasa: Server

    def start(self: T) -> T:
        self.actions.start()
        try:
            self.rasa.start()
        except BaseException:
            self.actions.stop()  # not left running when Rasa does not come up
            raise
        return self

    def stop(self) -> None:
        self.rasa.stop()
        self.actions.stop()


class Bot(WithActionServer):
    """The action server and the Rasa server as ``make run`` starts them: REST channel,
    SQLite tracker and lock stores, ``workers`` Rasa worker processes (``SANIC_WORKERS``)."""

    def __init__(
        self,
        workdir: Path,
        api_token: str | None = None,
        extra_env: dict[str, str] | None = None,
        extra_channels: str = "",
        debug: bool = False,
        workers: int = DEFAULT_WORKERS,
    ) -> None:
        """``api_token``: also enable Rasa's HTTP API (e.g. /model/parse), behind this token.
        ``extra_channels``: YAML appended to credentials.yml (e.g. the Slack channel).
        ``debug``: both servers log at DEBUG level.
        ``workers``: Rasa worker processes (make run's default: 2, one per core)."""
        if not MODEL.exists():
            raise RuntimeError(f"{MODEL} is missing: run `make train` first")
        self.workdir = workdir
        # A private copy of the knowledge, so that tests may edit it while the bot runs.
        self.knowledge_dir = workdir / "knowledge"
        self.knowledge_dir.mkdir(exist_ok=True)
        for source in (ROOT / "knowledge").glob("*.yml"):
            (self.knowledge_dir / source.name).write_text(source.read_text(encoding="utf-8"))
        # Imported here, not at the top: importing this module stays cheap (no Rasa).
        from components.understanding import VECTOR_CACHE

        self.vector_cache = workdir / "question_vectors.npz"
        project_cache = ROOT / VECTOR_CACHE
        if project_cache.exists():  # saves encoding the library again (about 30 s)
            shutil.copyfile(project_cache, self.vector_cache)
        self.actions_port, self.rasa_port = free_port(), free_port()
        self.web_port = free_port()
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        env = {
            # a REST_TOKEN or LOCK_STORE_URL of the shell is for `make run`; a test bot gets
            # a token only if asked, and keeps its locks in its own directory
            **{k: v for k, v in os.environ.items() if k not in ("REST_TOKEN", "LOCK_STORE_URL")},
            "PYTHONPATH": str(ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "PACS_KNOWLEDGE_DIR": str(self.knowledge_dir),
            # a copy of the project's example vectors, so that a test's edits stay its own
            "PACS_VECTOR_CACHE": str(self.vector_cache),
            # the browser tests serve their pages from these origins (localhost: a school page
            # on another origin than the widget's)
            "PACS_ALLOWED_ORIGINS": "http://localhost:8080,http://127.0.0.1:8080,"
            f"http://127.0.0.1:{self.web_port},http://localhost:{self.web_port}",
            # Slack events already taken: this bot's own table, kept across its restarts
            "SLACK_EVENTS_URL": f"sqlite:///{workdir / 'slack_events.db'}",
            "SANIC_WORKERS": str(workers),
            **(extra_env or {}),
        }
        credentials = workdir / "credentials.yml"
        credentials.write_text((ROOT / "credentials.yml").read_text() + "\n" + extra_channels)
        endpoints = workdir / "endpoints.yml"
        # endpoints.yml with this bot's port and files
        settings = yaml.safe_load((ROOT / "endpoints.yml").read_text())
        settings["action_endpoint"]["url"] = f"http://127.0.0.1:{self.actions_port}/webhook"
        settings["tracker_store"]["db"] = str(workdir / "tracker.db")
        settings["lock_store"]["db"] = str(workdir / "locks.db")
        endpoints.write_text(yaml.safe_dump(settings))
        self.actions = Server(
            [sys.executable, "-m", "actions.server", "--port", str(self.actions_port)]
            + (["--debug"] if debug else []),
            f"http://127.0.0.1:{self.actions_port}/health",
            workdir / "actions.log",
            env,
        )
        self.rasa = Server(
            [
                sys.executable,
                "-m",
                "scripts.rasa_server",
                "run",
                "--model",
                str(MODEL),
                "--port",
                str(self.rasa_port),
                "--credentials",
                str(credentials),
                "--endpoints",
                str(endpoints),
                *(["--enable-api", "--auth-token", api_token] if api_token else []),
                *(["--debug"] if debug else []),
            ],
            self.url + "/",
            workdir / "rasa.log",
            env,
        )


class FloorBot:
    """A stock Rasa bot (``rasa init``: static responses, no action server) as a baseline."""

    def __init__(self, workdir: Path, api_token: str | None = None) -> None:
        self.workdir = workdir
        self.rasa_port = free_port()
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        self.env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
        self.train_seconds: float | None = None
        self.rasa = Server(
            [str(BIN / "rasa"), "run", "--model", "models/floor.tar.gz",
             "--port", str(self.rasa_port), "--credentials", "credentials.yml",
             *(["--enable-api", "--auth-token", api_token] if api_token else [])],
            self.url + "/",
            self.workdir / "rasa.log",
            self.env,
            cwd=self.workdir,
        )  # fmt: skip

    def build(self) -> FloorBot:
        """Generate the project with ``rasa init`` and time its training separately."""
        subprocess.run(
            [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(self.workdir)],
            cwd=self.workdir, env=self.env, check=True, capture_output=True,
        )  # fmt: skip
        self.customise()
        started = time.monotonic()
        subprocess.run(
            [str(BIN / "rasa"), "train", "--force", "--fixed-model-name", "floor",
             "--out", "models"],
            cwd=self.workdir, env=self.env, check=True, capture_output=True,
        )  # fmt: skip
        self.train_seconds = time.monotonic() - started
        return self

    def customise(self) -> None:
        """Change the generated project before training (the stock bot: nothing)."""

    def start(self) -> FloorBot:
        self.rasa.start()
        return self

    def stop(self) -> None:
        self.rasa.stop()


KB_ACTIONS = """
import json
from pathlib import Path

from rasa_sdk import Action

FACTS = Path(__file__).with_name("facts.json")


class AnswerFromFacts(Action):
    def name(self):
        return "action_answer_from_facts"

    def run(self, dispatcher, tracker, domain):
        facts = json.loads(FACTS.read_text())
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        dispatcher.utter_message(text=facts.get(intent, facts["default"]))
        return []
"""


class KnowledgeBaseBot(WithActionServer, FloorBot):
    """A stock knowledge-base-style bot: ``rasa init`` (DIET, TED, in-memory tracker store)
    whose every answer comes from a custom action that reads a JSON file, on rasa_sdk's
    action server (``rasa run actions``)."""

    def __init__(self, workdir: Path, api_token: str | None = None) -> None:
        super().__init__(workdir, api_token)
        self.actions_port = free_port()
        self.env["PYTHONPATH"] = str(workdir)
        self.rasa.args += ["--endpoints", "endpoints.yml"]
        self.actions = Server(
            [str(BIN / "rasa"), "run", "actions", "--port", str(self.actions_port),
             "--actions", "kb_actions"],
            f"http://127.0.0.1:{self.actions_port}/health",
            workdir / "actions.log",
            self.env,
            cwd=workdir,
        )  # fmt: skip

    def customise(self) -> None:
        """Every response of the stock bot becomes the custom action's answer."""
        (self.workdir / "kb_actions.py").write_text(KB_ACTIONS)
        domain = yaml.safe_load((self.workdir / "domain.yml").read_text())
        facts = {intent: f"An answer about {intent}." for intent in domain["intents"]}
        (self.workdir / "facts.json").write_text(json.dumps({**facts, "default": "Sorry."}))
        domain["actions"] = ["action_answer_from_facts"]
        (self.workdir / "domain.yml").write_text(yaml.safe_dump(domain))
        for name in ("stories.yml", "rules.yml"):
            path = self.workdir / "data" / name
            text = path.read_text()
            path.write_text(re.sub(r"action: utter_\w+", "action: action_answer_from_facts", text))
        (self.workdir / "endpoints.yml").write_text(
            f'action_endpoint:\n  url: "http://127.0.0.1:{self.actions_port}/webhook"\n'
        )
