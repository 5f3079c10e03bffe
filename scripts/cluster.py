"""`make run-cluster`: the scale-out profile, on Rasa's own mechanisms.

Two Rasa servers and two action servers behind nginx; conversations in PostgreSQL (Rasa's SQL
tracker store), one conversation handled at a time across both servers thanks to Rasa's
Redis lock store. Configured by environment variables:

  TRACKER_STORE_URL  postgresql://postgres@127.0.0.1:5432/pacs_advisor   (SQLAlchemy URL)
  LOCK_STORE_URL     redis://127.0.0.1:6379/1
  PORT               5005 (nginx: Rasa's REST channel and the rest of its HTTP surface)
  SLACK_EVENTS_URL   the lock store's Redis (Slack events already answered, shared)
  HANDOFF_STORE_URL  the tracker store's database (hand-offs to a person, shared)
  PACS_SESSION_SECRET  web session signing secret; default: var/session.key, which both
                     Rasa servers read (they run on this machine)

The action servers listen on 127.0.0.1, behind nginx on 127.0.0.1, as the Rasa servers do.

Usage: python -m scripts.cluster   (Ctrl-C stops everything)
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlparse

import sqlalchemy
import yaml

from scripts.live import MODEL, ROOT, Server, free_port

DEFAULT_TRACKER = "postgresql://postgres@127.0.0.1:5432/pacs_advisor"
DEFAULT_LOCK = "redis://127.0.0.1:6379/1"


def tracker_store(url: str) -> dict:
    """Rasa's SQL tracker-store settings from one SQLAlchemy URL."""
    parsed = sqlalchemy.engine.make_url(url)
    config = {
        "type": "stores.trackers.AdvisorTrackerStore",  # Rasa's SQL store, see stores/trackers.py
        "dialect": parsed.drivername,
        "url": parsed.host,
        "port": parsed.port,
        "db": parsed.database,
        "username": parsed.username,
        "password": parsed.password,
    }
    if parsed.drivername.startswith("postgresql"):
        config["login_db"] = "postgres"  # Rasa creates the database when it is missing
    return {key: value for key, value in config.items() if value is not None}


def lock_store(url: str, key_prefix: str) -> dict:
    parsed = urlparse(url)
    config = {
        "type": "redis",
        "url": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 6379,
        "db": int((parsed.path or "/0").lstrip("/") or 0),
        "key_prefix": key_prefix,
    }
    if parsed.password:
        config["password"] = parsed.password
    return config


def nginx_config(workdir: Path, port: int, rasa_ports: list[int], action_ports: list[int],
                 actions_port: int) -> str:  # fmt: skip
    rasa = "\n".join(f"    server 127.0.0.1:{p};" for p in rasa_ports)
    actions = "\n".join(f"    server 127.0.0.1:{p};" for p in action_ports)
    return textwrap.dedent(
        f"""\
        worker_processes 1;
        daemon off;
        pid {workdir}/nginx.pid;
        error_log {workdir}/nginx-error.log warn;
        events {{ worker_connections 1024; }}
        http {{
          access_log {workdir}/nginx-access.log;
          log_format upstream '$remote_addr $request_uri $status $upstream_addr';
          client_body_temp_path {workdir}/tmp-body;
          proxy_temp_path {workdir}/tmp-proxy;
          fastcgi_temp_path {workdir}/tmp-fastcgi;
          uwsgi_temp_path {workdir}/tmp-uwsgi;
          scgi_temp_path {workdir}/tmp-scgi;
          upstream rasa {{
        {rasa}
          }}
          upstream actions {{
        {actions}
          }}
          # Stream bodies instead of spooling them to temp files: the worker processes run
          # as an unprivileged user that may not write to this directory.
          proxy_request_buffering off;
          proxy_buffering off;
          client_body_buffer_size 1m;
          server {{
            listen 127.0.0.1:{port};
            access_log {workdir}/rasa-upstream.log upstream;
            client_max_body_size 1m;
            location / {{
              proxy_pass http://rasa;
              proxy_http_version 1.1;
              proxy_set_header Upgrade $http_upgrade;
              proxy_set_header Connection "upgrade";
              proxy_read_timeout 120s;
            }}
          }}
          server {{
            listen 127.0.0.1:{actions_port};
            client_max_body_size 20m;
            location / {{ proxy_pass http://actions; }}
          }}
        }}
        """
    )


class Cluster:
    """Two Rasa servers, two action servers, nginx in front; stores from the given URLs."""

    def __init__(self, workdir: Path, tracker_url: str, lock_url: str, port: int,
                 lock_prefix: str = "pacs") -> None:  # fmt: skip
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.tracker_url = tracker_url
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            # Slack retries are recognised by whichever Rasa server they reach
            "SLACK_EVENTS_URL": os.environ.get("SLACK_EVENTS_URL") or lock_url,
            # hand-offs to a person: in the tracker store's database, shared by both servers
            "HANDOFF_STORE_URL": os.environ.get("HANDOFF_STORE_URL") or tracker_url,
            # socket.io replies reach a conversation's sockets on either server
            "LOCK_STORE_URL": lock_url,
        }
        actions_port = free_port()
        endpoints = workdir / "endpoints.yml"
        endpoints.write_text(
            yaml.safe_dump(
                {
                    "action_endpoint": {
                        "url": f"http://127.0.0.1:{actions_port}/webhook",
                        "enable_selective_domain": True,  # as endpoints.yml
                    },
                    "tracker_store": tracker_store(tracker_url),
                    "lock_store": lock_store(lock_url, lock_prefix),
                }
            )
        )
        action_ports, rasa_ports = [free_port(), free_port()], [free_port(), free_port()]
        self.actions = [
            Server(
                [sys.executable, "-m", "actions.server", "--port", str(p)],
                f"http://127.0.0.1:{p}/health",
                workdir / f"actions-{p}.log",
                env,
            )  # fmt: skip
            for p in action_ports
        ]
        self.rasa = [
            Server(
                [
                    sys.executable,
                    "-m",
                    "scripts.rasa_server",
                    "run",
                    "--model",
                    str(MODEL),
                    "--port",
                    str(p),
                    "--credentials",
                    str(ROOT / "credentials.yml"),
                    "--endpoints",
                    str(endpoints),
                ],
                f"http://127.0.0.1:{p}/",
                workdir / f"rasa-{p}.log",
                env,
            )  # fmt: skip
            for p in rasa_ports
        ]
        (workdir / "nginx.conf").write_text(
            nginx_config(workdir, port, rasa_ports, action_ports, actions_port)
        )
        self.nginx = Server(
            [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(workdir / "nginx.conf"),
             "-p", str(workdir)],
            f"{self.url}/", workdir / "nginx.log", env,
        )  # fmt: skip

    def start(self) -> Cluster:
        for server in self.actions:
            server.start()
        for server in self.rasa:
            server.start()
        self.nginx.start()
        return self

    def stop(self) -> None:
        for server in [self.nginx, *self.rasa, *self.actions]:
            server.stop()

    def upstreams_used(self) -> set[str]:
        """Which Rasa instances nginx sent webhook requests to."""
        log = self.workdir / "rasa-upstream.log"
        lines = log.read_text().splitlines() if log.exists() else []
        return {line.split()[-1] for line in lines if "/webhooks/" in line}


def main() -> int:
    if not MODEL.exists():
        print(f"{MODEL} is missing: run `make train` first", file=sys.stderr)
        return 1
    cluster = Cluster(
        ROOT / "var" / "cluster",
        os.environ.get("TRACKER_STORE_URL") or DEFAULT_TRACKER,
        os.environ.get("LOCK_STORE_URL") or DEFAULT_LOCK,
        int(os.environ.get("PORT") or 5005),
    )
    cluster.start()
    print(f"Cluster up: {cluster.url}/webhooks/rest/webhook (Ctrl-C stops it)", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        signal.pause()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
