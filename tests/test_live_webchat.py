"""The website chat widget (web/widget.js) in a real headless Chromium, against the running bot
(on a copy of the real knowledge/, whose tuition figures the test reads from that copy).

Most tests embed the one tag in a deliberately hostile school page (tests/fixtures/hostile:
``* { all: unset }``, ``button { display: none }``, ``input { width: 3px }``, overlays with
the highest z-index, its own ``window.io``) served from another origin than the widget — as a
school's site embeds it from the bot's host."""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import tuition_amount, tuition_text

from scripts.live import ROOT
from scripts.pages import serve

pytestmark = pytest.mark.live
CHROMIUM = "/usr/bin/chromium"
REPORTS = ROOT / "reports"
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile" / "page.html"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1.min.js"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
SHADOW = "document.querySelector('pacs-advisor-chat').shadowRoot"
CUSTOM = ' data-title="Ask Admissions" data-greeting="Welcome to Admissions!"' \
    ' data-color="#0b6e4f" data-position="left" data-reply-timeout="20"'  # fmt: skip


class Site:
    """The demo page and hostile school pages, served by scripts/pages.py."""

    def __init__(self, root: Path, port: int) -> None:
        self.widget_origin = f"http://127.0.0.1:{port}"
        self.school_origin = f"http://localhost:{port}"  # another origin than the widget's
        self.demo = self.widget_origin + "/"
        self.root = root

    def page(self, name: str) -> str:
        return f"{self.school_origin}/school/{name}.html"


@pytest.fixture(scope="module")
def site(bot, tmp_path_factory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("web")
    shutil.copytree(ROOT / "web", root, dirs_exist_ok=True)
    index = root / "index.html"
    index.write_text(index.read_text().replace('data-server="http://localhost:5005"',
                                               f'data-server="{bot.url}"'))  # fmt: skip
    server = serve(root, bot.web_port)
    served = Site(root, bot.web_port)
    (root / "school").mkdir()
    template = HOSTILE.read_text()
    pages = {"admissions": "tuition", "tuition": "admissions", "custom": "admissions"}
    for name, following in pages.items():
        (root / "school" / f"{name}.html").write_text(
            template.replace("{{TITLE}}", name.title())
            .replace("{{NEXT}}", f"{following}.html")
            .replace("{{WIDGET}}", served.widget_origin + "/widget.js")
            .replace("{{SERVER}}", bot.url)
            .replace("{{ATTRIBUTES}}", CUSTOM if name == "custom" else "")
        )
    (root / "school" / "strict.html").write_text(
        HOSTILE.with_name("strict.html")
        .read_text()
        .replace("{{WIDGET_ORIGIN}}", served.widget_origin)
        .replace("{{SERVER_WS}}", bot.url.replace("http://", "ws://"))
        .replace("{{SERVER}}", bot.url)
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield served
    server.shutdown()
    server.server_close()


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


def new_page(browser, viewport=DESKTOP, init_script: str | None = None):
    """A page in a fresh context (its own storage) whose script errors fail the test."""
    context = browser.new_context(viewport=viewport)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def inside(page, expression: str):
    """Evaluate ``expression`` with ``shadow`` bound to the widget's shadow root."""
    return page.evaluate(f"(() => {{ const shadow = {SHADOW}; return {expression}; }})()")


def focused(page) -> str:
    """What has the focus inside the widget: its id, class or tag, or '' when outside it."""
    return inside(page, "shadow.activeElement ? (shadow.activeElement.id || shadow.activeElement"
                  ".className || shadow.activeElement.tagName.toLowerCase()) : ''")  # fmt: skip


def launcher(page):
    """The launcher: a button whose name starts by saying it is the chat ("Close chat" is not)."""
    return page.get_by_role("button", name=re.compile(r"^chat\b", re.I))


def open_chat(page):
    launcher(page).click()
    page.get_by_role("dialog").wait_for(state="visible")


def bot_count(page) -> int:
    return inside(page, "shadow.querySelectorAll('.msg-bot').length")


def wait_for_reply(page, before: int, timeout: float = 30) -> None:
    """Until more than ``before`` bot messages are shown (polled from here: a page's CSP may
    refuse the string evaluation that ``page.wait_for_function`` needs)."""
    deadline = time.monotonic() + timeout
    while bot_count(page) <= before:
        assert time.monotonic() < deadline, f"no reply within {timeout} s"
        page.wait_for_timeout(100)


def ask(page, text: str):
    before = bot_count(page)
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    wait_for_reply(page, before)
    page.wait_for_timeout(400)  # a reply may come in several parts
    return page.locator(".msg-bot").nth(bot_count(page) - 1)  # this one, also when more come


def test_on_a_hostile_page_the_launcher_opens_a_labelled_dialog_and_esc_closes_it(browser, site):
    page = new_page(browser)
    page.goto(site.page("admissions"))
    button = launcher(page)
    button.wait_for(state="visible")
    page.wait_for_timeout(500)  # the page's late overlay is in
    box = button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44  # a finger-sized target
    assert box["x"] > DESKTOP["width"] - 120 and box["y"] > DESKTOP["height"] - 120
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # above both overlays of the page's z-index war
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).tagName", centre) == (
        "PACS-ADVISOR-CHAT"
    )
    assert button.get_attribute("aria-expanded") == "false"

    button.click()
    dialog = page.get_by_role("dialog", name="PACS program advisor")
    dialog.wait_for(state="visible")
    assert button.get_attribute("aria-expanded") == "true"
    assert focused(page) == "pacs-input"  # the focus moved into the text box
    text_box = page.get_by_role("textbox", name="Your question")
    assert text_box.bounding_box()["width"] > 200  # the page's `input { width: 3px }` stays out
    assert page.get_by_role("button", name="Send").is_visible()  # and `button { display:none }`
    greeting = page.locator(".greeting")
    assert greeting.evaluate("e => getComputedStyle(e).color") != "rgb(255, 0, 0)"
    assert greeting.evaluate("e => getComputedStyle(e).fontSize") == "15px"

    REPORTS.mkdir(exist_ok=True)
    page.screenshot(path=str(REPORTS / "widget-hostile-page.png"))
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert focused(page) == "launcher"  # the focus went back to the launcher
    assert button.get_attribute("aria-expanded") == "false"

    # the widget's CSS stays inside: the page's own `.panel` is still the page's paragraph
    assert page.evaluate("getComputedStyle(document.getElementById('page-panel')).position") == (
        "static"
    )
    assert page.evaluate("window.io") == "the page's own io"  # its global is left alone
    page.locator("#page-link").click()  # the page stays usable around the widget
    assert page.evaluate("location.hash") == "#clicked"
    assert page.errors == []


def test_a_student_on_a_phone_asks_clicks_reloads_and_goes_on_on_another_page(bot, browser, site):
    page = new_page(browser, PHONE)
    page.goto(site.page("admissions"))
    open_chat(page)
    dialog = page.get_by_role("dialog")
    assert dialog.bounding_box() == {"x": 0, "y": 0, **PHONE}  # full screen on a phone
    assert dialog.get_attribute("aria-modal") == "true"

    answer = ask(page, "what would I pay per credit hour at Clarkson")
    assert tuition_text(bot.knowledge_dir, "clarkson") in answer.inner_text()
    assert page.get_by_text("The advisor is typing…").is_hidden()
    announced = page.get_by_role("status").inner_text()  # for screen readers
    assert tuition_amount(bot.knowledge_dir, "clarkson") in announced

    listing = ask(page, "which programs are there?")
    numbered = listing.locator("ol")  # numbered, as students are told to say "the third one"
    assert numbered.locator("li").count() == 5
    assert numbered.evaluate("e => getComputedStyle(e).listStyleType") == "decimal"
    assert numbered.locator("li").nth(2).get_attribute("value") == "3"
    offered = listing.get_by_role("button")
    before = bot_count(page)
    listing.get_by_role("button", name="Weber State University").focus()
    page.keyboard.press("Enter")  # buttons work from the keyboard
    wait_for_reply(page, before)
    assert "Ogden, Utah" in page.locator(".msg-bot").last.inner_text()
    assert offered.count() >= 5
    assert all(offered.nth(i).is_disabled() for i in range(offered.count()))  # used: done
    assert focused(page) == "pacs-input"

    # on a phone the focus stays inside the open dialog
    for _ in range(12):
        page.keyboard.press("Tab")
        assert focused(page) != ""
    for _ in range(4):
        page.keyboard.press("Shift+Tab")
        assert focused(page) != ""

    page.get_by_role("textbox", name="Your question").focus()
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
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    messages = page.locator(".msg").count()

    page.reload()  # the dialog is still open, the conversation still there
    dialog.wait_for(state="visible")
    assert page.locator(".msg").count() == messages
    assert offered.count() >= 5 and offered.first.is_disabled()  # still used after a reload

    page.goto(site.page("tuition"))  # another page of the same site
    dialog.wait_for(state="visible")
    assert page.locator(".msg").count() == messages
    page.get_by_role("textbox", name="Your question").focus()
    # the conversation goes on where it was: "the first one" of the comparison is Weber
    weber = tuition_text(bot.knowledge_dir, "weber")
    assert weber in ask(page, "how much is the first one?").inner_text()
    assert page.errors == []
    REPORTS.mkdir(exist_ok=True)
    page.screenshot(path=str(REPORTS / "webchat.png"))


def test_a_reply_that_comes_while_the_chat_is_closed_shows_an_unread_badge(browser, site):
    page = new_page(browser)
    page.goto(site.page("admissions"))
    open_chat(page)
    page.keyboard.type("where is Clarkson College?")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    badge = page.locator(".badge")
    badge.wait_for(state="visible", timeout=30000)
    assert badge.inner_text() == "1"
    assert launcher(page).get_attribute("aria-label").endswith("(1 unread)")
    assert "New message" in page.get_by_role("status").inner_text()

    page.goto(site.page("tuition"))  # the badge follows the student to the next page
    assert page.locator(".badge").inner_text() == "1"
    open_chat(page)
    assert page.locator(".badge").is_hidden()
    assert "Omaha, Nebraska" in page.locator(".msg-bot").last.inner_text()
    assert page.errors == []


def test_clear_conversation_starts_a_new_one(browser, site):
    page = new_page(browser)
    page.goto(site.page("admissions"))
    open_chat(page)
    ask(page, "where is Weber State?")
    old_token = page.evaluate("localStorage.getItem('pacs-advisor-session')")
    assert old_token

    page.get_by_role("button", name="Clear conversation").click()
    assert page.locator(".msg").count() == 1  # the greeting only
    page.wait_for_function(  # the server issued a new session
        "old => ![null, old].includes(localStorage.getItem('pacs-advisor-session'))",
        arg=old_token,
    )
    page.reload()
    page.get_by_role("dialog").wait_for(state="visible")
    assert page.locator(".msg").count() == 1  # gone for good, not only from the screen
    assert page.errors == []


def test_the_typing_indicator_gives_up_after_about_15_s_when_the_reply_is_lost(browser, site):
    page = new_page(browser)

    def drop_replies(ws):
        server = ws.connect_to_server()
        ws.on_message(server.send)
        server.on_message(lambda message: "bot_uttered" in str(message) or ws.send(message))

    page.route_web_socket(re.compile(r".*/socket\.io/.*"), drop_replies)
    page.goto(site.page("admissions"))
    open_chat(page)
    typing = page.get_by_text("The advisor is typing…")
    page.keyboard.type("where is Weber State?")
    page.keyboard.press("Enter")
    sent = time.monotonic()
    typing.wait_for(state="visible")
    page.wait_for_timeout(10000)
    assert typing.is_visible()  # still waiting after 10 s
    given_up = page.locator(".msg-note")
    given_up.wait_for(state="visible", timeout=10000)
    assert 13 < time.monotonic() - sent < 19
    assert given_up.inner_text().startswith("No answer came.")
    assert typing.is_hidden()
    assert "No answer came" in page.get_by_role("status").inner_text()
    assert page.errors == []


# what a write to localStorage does on the page
REFUSED = "(() => { try { localStorage.setItem('k', 'v'); return 'kept' }" \
    " catch (e) { return e.name } })()"  # fmt: skip


@pytest.mark.parametrize(
    ("broken", "storage_says"),
    [
        # private mode / blocked cookies: touching storage throws
        ("for (const name of ['localStorage', 'sessionStorage']) Object.defineProperty(window,"
         " name, {get() { throw new DOMException('insecure', 'SecurityError'); }});",
         "SecurityError"),
        # a full quota: every write throws
        ("Storage.prototype.setItem = function () {"
         " throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };",
         "QuotaExceededError"),
        # a damaged transcript from an earlier version
        ("localStorage.setItem('pacs-advisor-transcript', '{not json');", "kept"),
    ],
    ids=["storage-refused", "quota-exceeded", "damaged-transcript"],
)  # fmt: skip
def test_storage_that_fails_does_not_stop_the_chat(browser, site, broken, storage_says):
    page = new_page(browser, init_script=broken)
    page.goto(site.page("admissions"))
    assert page.evaluate(REFUSED) == storage_says  # the storage really is broken so
    open_chat(page)
    assert "Ogden, Utah" in ask(page, "where is Weber State?").inner_text()
    assert page.errors == []


def test_data_attributes_set_title_greeting_colour_position_and_timeout(browser, site):
    page = new_page(browser)
    page.goto(site.page("custom"))
    button = launcher(page)
    assert button.get_attribute("aria-label") == "Chat with us: Ask Admissions"
    assert button.bounding_box()["x"] < 100  # data-position="left"
    assert button.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 110, 79)"
    button.click()
    page.get_by_role("dialog", name="Ask Admissions").wait_for(state="visible")
    assert page.locator(".greeting p").inner_text() == "Welcome to Admissions!"
    assert page.errors == []


def test_on_a_page_with_a_strict_content_security_policy_the_widget_works(browser, site):
    page = new_page(browser)
    refused = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    page.goto(site.page("strict"))
    button = launcher(page)
    assert button.bounding_box()["width"] == 60  # its style was applied: no inline <style>
    button.click()
    page.get_by_role("dialog").wait_for(state="visible")
    assert "Ogden, Utah" in ask(page, "where is Weber State?").inner_text()
    assert refused == []
    assert page.errors == []


def test_the_widget_passes_axe_accessibility_checks_closed_and_open(bot, browser, site):
    page = new_page(browser)
    page.goto(site.demo)
    launcher(page).wait_for(state="visible")
    page.add_script_tag(path=str(AXE))
    check = (
        "async () => (await axe.run(document.querySelector('pacs-advisor-chat'), {runOnly:"
        " ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']})).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    assert page.evaluate(check) == []
    open_chat(page)
    ask(page, "which programs are there?")
    page.locator(".msg-buttons button").first.click()  # used buttons, disabled
    page.wait_for_timeout(1500)
    ask(page, "compare Weber and Clarkson")  # a table
    assert page.evaluate(check) == []
    assert page.errors == []


def test_the_demo_page_loads_no_asset_from_another_host(browser, site):
    page = new_page(browser)
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(site.demo)
    launcher(page).wait_for(state="visible")
    page.wait_for_timeout(1500)
    bot_host = page.locator("script[data-server]").get_attribute("data-server").split("/")[2]
    assert hosts <= {site.demo.split("/")[2], bot_host}
    assert page.errors == []
