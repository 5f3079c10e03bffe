"""The web pages' server (scripts/pages.py): files only, with security headers."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message

import pytest

from scripts.pages import serve


@pytest.fixture
def site(tmp_path) -> Iterator[str]:
    (tmp_path / "index.html").write_text("<!doctype html><title>home</title>")
    (tmp_path / "widget.js").write_text("console.log(1);")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "socket.io.min.js").write_text("//")
    (tmp_path.parent / "secret.txt").write_text("not for the web")
    server = serve(tmp_path, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def get(url: str) -> tuple[int, Message, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def test_a_page_comes_with_the_security_headers_and_no_version_banner(site):
    status, headers, body = get(site + "/")
    assert status == 200 and "<title>home</title>" in body
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Server" not in headers
    assert "Python" not in str(headers)  # nor anywhere else


def test_the_widget_is_served_as_javascript_that_other_sites_may_embed(site):
    status, headers, _ = get(site + "/widget.js")
    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    assert headers["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_a_directory_without_an_index_page_is_not_listed(site):
    status, headers, body = get(site + "/vendor/")
    assert status == 404
    assert "socket.io.min.js" not in body
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path", ["/../secret.txt", "/%2e%2e/secret.txt", "/vendor/../../secret.txt"]
)
def test_no_file_outside_the_directory_is_served(site, path):
    status, _, body = get(site + path)
    assert status == 404
    assert "not for the web" not in body
