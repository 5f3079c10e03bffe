"""The website chat in a real headless Chromium, against the running bot (on a copy of the
real knowledge/, whose tuition figures the test reads from that copy)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import tuition_amount, tuition_text

from scripts.live import ROOT, wait_for

pytestmark = pytest.mark.live
CHROMIUM = "/usr/bin/chromium"
REPORTS = ROOT / "reports"


@pytest.fixture(scope="module")
def page_url(bot, tmp_path_factory):
    """The demo page, served locally, pointed at the test bot."""
    site = tmp_path_factory.mktemp("web")
    shutil.copytree(ROOT / "web", site, dirs_exist_ok=True)
    (site / "config.js").write_text(f'window.PACS_ADVISOR = {{ server: "{bot.url}" }};\n')
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(bot.web_port), "--bind", "127.0.0.1",
         "--directory", str(site)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{bot.web_port}/"
    wait_for(url, server, timeout=20)
    yield url
    server.terminate()
    server.wait()


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield launched
        launched.close()


def ask(page, text):
    before = page.locator(".msg-bot").count()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"document.querySelectorAll('.msg-bot').length > {before}", timeout=30000
    )
    page.wait_for_timeout(400)  # a reply may come in several parts
    return page.locator(".msg-bot").last


def test_a_student_on_a_phone_asks_clicks_reloads_and_keeps_the_conversation(
    bot, browser, page_url
):
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.goto(page_url)
    page_height = page.evaluate("document.documentElement.scrollHeight")
    page.locator("#chat-input").focus()

    answer = ask(page, "what would I pay per credit hour at Clarkson")
    assert tuition_text(bot.knowledge_dir, "clarkson") in answer.inner_text()
    assert page.locator("#chat-typing").is_hidden()
    announced = page.locator("#chat-live").inner_text()  # for screen readers
    assert tuition_amount(bot.knowledge_dir, "clarkson") in announced

    listing = ask(page, "which programs are there?")
    assert listing.locator("li").count() == 5  # the numbered list renders as a list
    before = page.locator(".msg-bot").count()
    listing.get_by_role("button", name="Weber State University").focus()
    page.keyboard.press("Enter")  # buttons work from the keyboard
    page.wait_for_function(f"document.querySelectorAll('.msg-bot').length > {before}")
    assert "Ogden, Utah" in page.locator(".msg-bot").last.inner_text()

    page.locator("#chat-input").focus()
    comparison = ask(page, "compare Weber and Clarkson")
    assert comparison.locator("table th[scope=col]").all_inner_texts() == [
        "",
        "Weber State University",
        "Clarkson College",
    ]
    assert comparison.locator("table tbody tr").count() == 6

    ask(page, '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>')
    assert page.evaluate("window.__pwned") is None
    assert "<img src=x" in page.locator(".msg-user").last.inner_text()

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # the chat log scrolls inside its panel; the page itself does not grow with the talk
    assert page.evaluate("document.documentElement.scrollHeight") == page_height
    messages_before_reload = page.locator(".msg").count()

    page.reload()
    assert page.locator(".msg").count() == messages_before_reload  # history shown again
    page.locator("#chat-input").focus()
    # the conversation goes on where it was: "the first one" of the comparison is Weber
    weber = tuition_text(bot.knowledge_dir, "weber")
    assert weber in ask(page, "how much is the first one?").inner_text()

    REPORTS.mkdir(exist_ok=True)
    page.screenshot(path=str(REPORTS / "webchat.png"), full_page=True)


def test_the_page_loads_no_asset_from_another_host(browser, page_url):
    page = browser.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(page_url)
    page.wait_for_timeout(1500)
    web_host = page_url.split("/")[2]
    bot_host = page.evaluate("window.PACS_ADVISOR.server").split("/")[2]
    assert hosts <= {web_host, bot_host}
