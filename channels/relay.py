"""Replies reach a conversation's every socket, whichever worker process holds it.

A web conversation may be open in two tabs, and with several worker processes (make run:
one per core) the two sockets may be held by different workers. socket.io sends a reply to
the conversation's room, which a process knows only for its own sockets, so python-socketio
relays room messages between processes through a message queue ("client manager"):

- ``LOCK_STORE_URL`` set (servers on several machines, the cluster profile): its Redis,
  with python-socketio's ``AsyncRedisManager``;
- otherwise ``WorkerRelay``: the workers of one server pass the messages to each other as
  datagrams on Unix sockets in a directory of their own (named after the server's main
  process, readable by its user only). Nothing to install, nothing to configure.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import socket
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from socketio import AsyncManager, AsyncRedisManager
from socketio.async_pubsub_manager import AsyncPubSubManager

logger = logging.getLogger(__name__)
MAX_MESSAGE_BYTES = 1 << 20


def server_directory() -> Path:
    """One directory per server: the workers' parent names it (a single process, itself)."""
    parent = multiprocessing.parent_process()
    server = parent.pid if parent is not None else os.getpid()
    return Path(tempfile.gettempdir()) / f"pacs-socketio-{server}"


class PerProcess:
    """A pub/sub manager's host id that differs in every process. python-socketio draws it
    once, when the manager is made; the manager is made before the server forks its
    workers, so without this every worker had the same id and dropped, as its own, the
    messages of the others: a reply reached a conversation's second tab only when both tabs
    were held by the same worker."""

    _drawn: str = ""

    @property
    def host_id(self) -> str:
        return f"{self._drawn}-{os.getpid()}"

    @host_id.setter
    def host_id(self, value: str) -> None:
        self._drawn = value


class RedisRelay(PerProcess, AsyncRedisManager):
    """python-socketio's Redis manager, with a host id of its own in every worker."""


class WorkerRelay(PerProcess, AsyncPubSubManager):
    """python-socketio's pub/sub client manager over Unix datagram sockets, one per worker."""

    name = "worker-relay"

    def __init__(self, directory: Path | None = None) -> None:
        super().__init__(channel="socketio")
        self._directory = directory
        self._socket: socket.socket | None = None
        self._address: Path | None = None

    def _bound(self) -> socket.socket:
        """This process's socket, bound on first use (in the worker, after the fork)."""
        if self._socket is None or self._address is None or self._address.name != _own():
            directory = self._directory or server_directory()
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            address = directory / _own()
            address.unlink(missing_ok=True)
            relay = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            relay.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * MAX_MESSAGE_BYTES)
            relay.bind(str(address))
            relay.setblocking(False)
            self._socket, self._address = relay, address
        return self._socket

    async def _publish(self, data: Any) -> None:
        relay = self._bound()
        assert self._address is not None
        message = self.json.dumps(data).encode()
        for peer in self._address.parent.glob("*.sock"):
            if peer == self._address:
                continue
            try:
                relay.sendto(message, str(peer))
            except (ConnectionRefusedError, FileNotFoundError):
                peer.unlink(missing_ok=True)  # a worker that is gone
            except OSError as error:  # a full queue: that worker is stuck
                logger.warning("A socket.io message could not reach %s: %s", peer.name, error)

    async def _listen(self) -> AsyncIterator[bytes]:
        relay = self._bound()
        loop = asyncio.get_running_loop()
        while True:
            yield await loop.sock_recv(relay, MAX_MESSAGE_BYTES)


def _own() -> str:
    return f"{os.getpid()}.sock"


def client_manager() -> AsyncManager:
    """The relay for this server: Redis when ``LOCK_STORE_URL`` is set, else the workers'."""
    url = os.environ.get("LOCK_STORE_URL")
    return RedisRelay(url) if url else WorkerRelay()
