"""The web pages' server: the demo school page and the chat widget (``make run``, tests).

``python -m http.server`` lists every directory, names its Python version in each response
and sends no security headers. This server serves the files of one directory and nothing
else: no listings (a directory without ``index.html`` is a 404), no version banner, and on
every response ``X-Content-Type-Options: nosniff`` (a file is only what its type says),
``Referrer-Policy`` (other sites see the origin, never the page's path),
``Cross-Origin-Resource-Policy: cross-origin`` (widget.js is meant to be embedded by the
school's pages on other origins) and ``Cache-Control: no-cache`` (a new widget reaches every
page at once). Put it behind your HTTPS proxy, or copy ``web/`` to any static host that
sends the same headers.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "Cache-Control": "no-cache",
}


class PageHandler(SimpleHTTPRequestHandler):
    """Files only, with the security headers; no listings, no server version."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}

    def send_response(self, code: int, message: str | None = None) -> None:
        """The status line and Date, without the ``Server: SimpleHTTP/… Python/…`` banner."""
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def end_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def list_directory(self, path: str | Path) -> None:  # type: ignore[override]
        """A directory without an index page is not found: its file names stay private."""
        self.send_error(404, "Not found")
        return None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base's name)
        """Quiet: a page server's access log belongs to the proxy in front of it."""


def serve(directory: Path, port: int, bind: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server for ``directory`` on ``bind:port`` (port 0: a free one), not yet serving."""
    handler = functools.partial(PageHandler, directory=str(directory))
    return ThreadingHTTPServer((bind, port), handler)


def serve_demo(directory: Path, server_url: str, port: int) -> ThreadingHTTPServer:
    """The demo page of web/, copied into ``directory`` with its chat talking to the bot at
    ``server_url``, served on ``port`` from a background thread (tests, screenshots)."""
    shutil.copytree(ROOT / "web", directory, dirs_exist_ok=True)
    index = directory / "index.html"
    index.write_text(index.read_text().replace("http://localhost:5005", server_url))
    server = serve(directory, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("port", type=int, nargs="?", default=8080)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--directory", type=Path, default=Path("web"))
    arguments = parser.parse_args()
    server = serve(arguments.directory, arguments.port, arguments.bind)
    with server, contextlib.suppress(KeyboardInterrupt):  # Ctrl-C of make run
        server.serve_forever()


if __name__ == "__main__":
    main()
