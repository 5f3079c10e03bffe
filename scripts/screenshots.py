"""The README's pictures of the web chat, taken again: the demo page with the launcher
(docs/widget-launcher.png) and with the chat open after a question (docs/widget-open.png).

A real bot (``scripts.live.Bot``) and the demo page (``scripts.pages``) as ``make run`` serves
them, photographed by Debian's chromium through playwright (the development set). Run it
after a change to the widget's look: ``.venv/bin/python -m scripts.screenshots``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from scripts.live import ROOT, Bot
from scripts.pages import serve_demo

CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 1024, 640
QUESTION = "How much is Weber State?"


def photograph(url: str) -> None:
    """The two pictures of the demo page at ``url``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.goto(url)
        launcher = page.get_by_role("button", name="Chat with us: PACS program advisor")
        launcher.wait_for()
        page.screenshot(path=ROOT / "docs" / "widget-launcher.png")
        launcher.click()
        page.get_by_role("dialog").wait_for(state="visible")
        page.keyboard.type(QUESTION)
        page.keyboard.press("Enter")
        answer = page.locator(".msg-bot", has_text="Estimated tuition at Weber")
        answer.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)  # the rest of the reply, and the scroll
        page.screenshot(path=ROOT / "docs" / "widget-open.png")
        browser.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        bot = Bot(workdir).start()
        pages = serve_demo(workdir / "web", bot.url, bot.web_port)
        try:
            photograph(f"http://127.0.0.1:{bot.web_port}/")
        finally:
            pages.shutdown()
            bot.stop()
    print("docs/widget-launcher.png, docs/widget-open.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
