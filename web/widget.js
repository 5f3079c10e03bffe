// PACS advisor chat widget: one tag on any page, no framework, nothing to build.
//
//   <script src="https://<bot host>/widget.js" data-server="https://<rasa host>" defer></script>
//
// - The widget lives in a Shadow DOM: the page's CSS cannot reach inside (the host element
//   resets itself with !important rules, which beat the page's), and its CSS stays inside.
//   It sits in the browser's top layer (a manual popover) where supported, so no z-index of
//   the page covers it.
// - The socket.io client is loaded from vendor/ beside this file; the page's own `window.io`,
//   if any, is left as it was.
// - The server issues the session (channels/sessions.py describes the protocol): the widget
//   keeps the token in localStorage, with the transcript, and presents it on reconnect, so a
//   reload or another page of the same site continues the conversation. A token the server
//   no longer honours gets a new session, and the old transcript is dropped with it.
// - Storage that fails (private mode, quota, blocked cookies) is replaced by memory.
// - Bot text is inserted as text (textContent), never as HTML. "1. ..." lines stay numbered
//   (<ol>), "- ..." lines are bullets (<ul>); a comparison is a real <table>.
// - Buttons are real <button>s; once the student answers, earlier buttons are disabled.
// - The typing indicator gives up after data-reply-timeout seconds (15) with a sentence.
// - A person from the admissions team (a hand-off, channels/handoff.py) speaks under their
//   own name. What the hand-off sends is numbered (handoff_id): on every connect the widget
//   asks for what came after the last number it saw (handoff_history), so a reply sent while
//   the page was closed shows when the student comes back.
// Configuration: the data-* attributes of the tag (see DEFAULTS; data-reply-timeout is in s).
(function () {
  "use strict";
  var script =
    document.currentScript || document.querySelector('script[src*="widget.js"][data-server]');
  if (!script || document.querySelector("pacs-advisor-chat")) return; // one widget a page

  var DEFAULTS = {
    title: "PACS program advisor",
    greeting: "Hello! Ask me about our PACS certificate programs.",
    launcherLabel: "", // default: "Chat with us: <title>"
    placeholder: "Ask about a PACS program…",
    sendLabel: "Send",
    closeLabel: "Close chat",
    clearLabel: "Clear conversation",
    clearedText: "Conversation cleared.",
    typingText: "The advisor is typing…",
    noReplyText: "No answer came. The advisor may be busy or offline — please try again.",
    offlineText: "The advisor cannot be reached right now. Please try again shortly.",
    newMessageText: "New message from the advisor",
    inputLabel: "Your question",
    color: "#204a7a",
    textColor: "#ffffff",
    position: "right",
    replyTimeout: "15",
  };
  var data = script.dataset;
  var TEXT = {};
  Object.keys(DEFAULTS).forEach(function (key) {
    TEXT[key] = data[key] && data[key].trim() ? data[key].trim() : DEFAULTS[key];
  });
  if (data.greeting !== undefined) TEXT.greeting = data.greeting.trim(); // empty: no greeting
  TEXT.launcherLabel = TEXT.launcherLabel || "Chat with us: " + TEXT.title;
  var server = data.server || new URL(script.src, location.href).origin;
  var replyTimeout = (parseFloat(TEXT.replyTimeout) > 0 ? parseFloat(TEXT.replyTimeout) : 15) * 1000;
  var SESSION_KEY = "pacs-advisor-session";
  var LOG_KEY = "pacs-advisor-transcript";
  var UNREAD_KEY = "pacs-advisor-unread";
  var OPEN_KEY = "pacs-advisor-open";
  var HANDOFF_KEY = "pacs-advisor-handoff-seen";

  // --- storage that never throws: memory stands in for whatever the browser refuses ------
  function storage(kind) {
    var memory = {};
    var real = null;
    try {
      real = window[kind];
      real.setItem("pacs-advisor-probe", "1");
      real.removeItem("pacs-advisor-probe");
    } catch (e) {
      real = null; // private mode, blocked cookies, no storage at all
    }
    return {
      get: function (key) {
        if (Object.prototype.hasOwnProperty.call(memory, key)) return memory[key];
        try {
          return real ? real.getItem(key) : null;
        } catch (e) {
          return null;
        }
      },
      set: function (key, value) {
        memory[key] = value;
        try {
          if (real) real.setItem(key, value);
        } catch (e) {
          /* quota: this page keeps it in memory */
        }
      },
      remove: function (key) {
        delete memory[key];
        try {
          if (real) real.removeItem(key);
        } catch (e) {
          /* nothing stored to remove */
        }
      },
    };
  }
  var local = storage("localStorage");
  var tab = storage("sessionStorage");

  function loadTranscript() {
    try {
      var stored = JSON.parse(local.get(LOG_KEY) || "[]");
      return Array.isArray(stored) ? stored.filter(function (e) { return e && e.from; }) : [];
    } catch (e) {
      return []; // a damaged entry: start with an empty log rather than no widget
    }
  }

  var session = local.get(SESSION_KEY); // a token from the server, or null
  var transcript = loadTranscript();
  var unread = parseInt(local.get(UNREAD_KEY) || "0", 10) || 0;
  var handoffSeen = parseInt(local.get(HANDOFF_KEY) || "0", 10) || 0; // last hand-off message
  var socket = null;
  var confirmed = false; // messages typed before the server confirmed the session wait
  var pending = [];
  var waiting = null; // the give-up timer while an answer is awaited

  function save() {
    local.set(LOG_KEY, JSON.stringify(transcript.slice(-200)));
  }

  // --- the widget's DOM, in its own shadow root ------------------------------------------
  var STYLES =
    ":host{all:initial!important;display:block!important;position:fixed!important;" +
    "top:0!important;left:0!important;width:0!important;height:0!important;margin:0!important;" +
    "padding:0!important;border:0!important;background:none!important;overflow:visible!important;" +
    "z-index:2147483647!important;visibility:visible!important;opacity:1!important;" +
    "transform:none!important;pointer-events:none!important}" +
    "*,*::before,*::after{box-sizing:border-box}" +
    "[hidden]{display:none!important}" +
    ".root{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2733;" +
    "text-align:left;letter-spacing:normal;word-spacing:normal;text-transform:none;" +
    "pointer-events:none}" +
    ".root button,.root input{font:inherit;letter-spacing:inherit;margin:0}" +
    ".launcher{pointer-events:auto;position:fixed;bottom:20px;right:20px;width:60px;height:60px;" +
    "border-radius:50%;border:0;padding:0;background:var(--pacs-c);color:var(--pacs-t);" +
    "cursor:pointer;display:flex;align-items:center;justify-content:center;" +
    "box-shadow:0 4px 14px rgba(0,0,0,.3)}" +
    ".left .launcher{right:auto;left:20px}" +
    ".launcher svg{width:30px;height:30px;fill:currentColor}" +
    ".badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;" +
    "border-radius:11px;background:#b00020;color:#fff;font-size:13px;font-weight:700;" +
    "line-height:22px;text-align:center;border:2px solid #fff}" +
    ".panel{pointer-events:auto;position:fixed;bottom:92px;right:20px;width:380px;" +
    "max-width:calc(100vw - 40px);height:580px;max-height:calc(100vh - 112px);display:flex;" +
    "flex-direction:column;background:#fff;border:1px solid #c9d2dd;border-radius:12px;" +
    "box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden}" +
    ".left .panel{right:auto;left:20px}" +
    ".head{display:flex;align-items:center;gap:6px;padding:8px 8px 8px 14px;" +
    "background:var(--pacs-c);color:var(--pacs-t)}" +
    ".head h2{flex:1;margin:0;font-size:16px;font-weight:700;line-height:1.3}" +
    ".head button{background:transparent;color:inherit;border:1px solid currentColor;" +
    "border-radius:6px;padding:4px 8px;cursor:pointer;font-size:13px}" +
    ".head .close{font-size:20px;line-height:1;width:34px;height:34px;padding:0}" +
    ".log{list-style:none;margin:0;padding:10px;overflow-y:auto;overscroll-behavior:contain;" +
    "flex:1;position:relative}" +
    ".msg{margin:6px 0;padding:8px 12px;border-radius:10px;max-width:90%;overflow-wrap:anywhere}" +
    ".msg p{margin:2px 0}" +
    ".msg ul,.msg ol{margin:4px 0;padding-left:22px}" +
    ".msg ul{list-style:disc}.msg ol{list-style:decimal}" +
    ".msg li{display:list-item}" +
    ".msg-user{margin-left:auto;background:#dbe8f7}" +
    ".msg-bot{background:#eef1f4}" +
    ".msg-staff{background:#e5f3ea;border-left:4px solid #2e7d4f}" +
    ".msg-staff .who{display:block;font-size:13px;font-weight:700;color:#1e5a38}" +
    ".msg-note{max-width:100%;background:#fff4e0;border:1px solid #e0b35a;font-size:14px}" +
    ".msg-buttons{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}" +
    ".msg-buttons button{padding:6px 10px;border-radius:6px;border:1px solid var(--pacs-c);" +
    "background:#fff;color:var(--pacs-c);cursor:pointer;text-align:left}" +
    ".msg-buttons button:disabled{cursor:default;border-color:#b5bfcb;color:#5b6775;" +
    "background:#f4f6f9}" +
    ".msg-buttons button.chosen{border-color:#5b6775;font-weight:700}" +
    ".msg-table{overflow-x:auto;max-width:100%}" +
    ".msg-table table{border-collapse:collapse;font-size:14px}" +
    ".msg-table th,.msg-table td{border:1px solid #c9d2dd;padding:4px 6px;text-align:left;" +
    "vertical-align:top;overflow-wrap:break-word}" +
    ".msg-table th[scope=row]{white-space:nowrap}" +
    ".msg:has(.msg-table){max-width:100%}" +
    ".typing{padding:0 14px 6px;font-style:italic;color:#4a5868}" +
    ".form{display:flex;gap:8px;padding:10px;border-top:1px solid #c9d2dd;background:#fff}" +
    // 16 px: a phone's browser zooms into a text box with a smaller font
    ".form input{flex:1;min-width:0;width:auto;height:auto;padding:8px 10px;font-size:16px;" +
    "border:1px solid #8796a8;border-radius:6px;background:#fff;color:#1d2733}" +
    ".form button{padding:8px 14px;border-radius:6px;border:1px solid var(--pacs-c);" +
    "background:var(--pacs-c);color:var(--pacs-t);cursor:pointer}" +
    "button:focus-visible,input:focus-visible,.log:focus-visible{outline:3px solid #f0a500;" +
    "outline-offset:2px}" +
    ".visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;" +
    "clip:rect(0 0 0 0);white-space:nowrap}" +
    "@media (max-width:480px){.panel,.left .panel{top:0;left:0;right:0;bottom:0;width:100%;" +
    "max-width:none;height:100%;max-height:none;border:0;border-radius:0}}";

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text) node.textContent = text;
    return node;
  }

  var host = document.createElement("pacs-advisor-chat");
  var shadow = host.attachShadow({ mode: "open" });
  if (shadow.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === "function") {
    var sheet = new CSSStyleSheet(); // a constructed sheet: no inline <style> for a CSP to refuse
    sheet.replaceSync(STYLES);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    shadow.appendChild(el("style", {}, STYLES));
  }
  var position = /left/i.test(TEXT.position) ? "left" : "right";
  var root = el("div", { class: "root " + position });
  function colour(value, fallback) {
    return window.CSS && window.CSS.supports && window.CSS.supports("color", value) ? value : fallback;
  }
  root.style.setProperty("--pacs-c", colour(TEXT.color, DEFAULTS.color));
  root.style.setProperty("--pacs-t", colour(TEXT.textColor, DEFAULTS.textColor));

  var launcher = el("button", {
    type: "button",
    class: "launcher",
    "aria-haspopup": "dialog",
    "aria-expanded": "false",
    "aria-controls": "pacs-panel",
  });
  var SVG = "http://www.w3.org/2000/svg"; // built node by node: no HTML parsing at all
  var icon = document.createElementNS(SVG, "svg");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("aria-hidden", "true");
  icon.setAttribute("focusable", "false");
  var bubble = document.createElementNS(SVG, "path");
  bubble.setAttribute(
    "d",
    "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6a1.5 " +
      "1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 " +
      "0 0 3 1.5 1.5 0 0 0 0-3z"
  );
  icon.appendChild(bubble);
  launcher.appendChild(icon);
  var badge = el("span", { class: "badge", "aria-hidden": "true" });
  badge.hidden = true;
  launcher.appendChild(badge);

  var panel = el("div", {
    class: "panel",
    id: "pacs-panel",
    role: "dialog",
    "aria-labelledby": "pacs-title",
  });
  panel.hidden = true;
  var head = el("div", { class: "head" });
  head.appendChild(el("h2", { id: "pacs-title" }, TEXT.title));
  var clearButton = el("button", { type: "button", class: "clear" }, TEXT.clearLabel);
  var closeButton = el("button", { type: "button", class: "close", "aria-label": TEXT.closeLabel });
  closeButton.textContent = "×";
  head.appendChild(clearButton);
  head.appendChild(closeButton);
  var log = el("ol", { class: "log", "aria-label": "Conversation", tabindex: "0" });
  var typing = el("div", { class: "typing" }, TEXT.typingText);
  typing.hidden = true;
  var form = el("form", { class: "form", autocomplete: "off" });
  var input = el("input", {
    id: "pacs-input",
    name: "message",
    type: "text",
    maxlength: "2000",
    placeholder: TEXT.placeholder,
  });
  form.appendChild(el("label", { for: "pacs-input", class: "visually-hidden" }, TEXT.inputLabel));
  form.appendChild(input);
  form.appendChild(el("button", { type: "submit" }, TEXT.sendLabel));
  [head, log, typing, form].forEach(function (part) { panel.appendChild(part); });
  // outside the panel, so that a reply arriving while it is closed is announced too
  var live = el("div", { class: "visually-hidden", role: "status", "aria-live": "polite" });
  root.appendChild(launcher);
  root.appendChild(panel);
  root.appendChild(live);
  shadow.appendChild(root);

  // --- rendering ------------------------------------------------------------------------
  // "1. x" lines become an <ol> that keeps their numbers, "- x" lines a <ul>; all plain text.
  function renderText(container, text) {
    var list = null;
    text.split("\n").forEach(function (line) {
      var numbered = /^\s*(\d+)[.)]\s+(.*)$/.exec(line);
      var bullet = numbered ? null : /^\s*[-•]\s+(.*)$/.exec(line);
      if (numbered || bullet) {
        var kind = numbered ? "OL" : "UL";
        if (!list || list.tagName !== kind) {
          list = document.createElement(kind);
          container.appendChild(list);
        }
        var li = document.createElement("li");
        if (numbered) li.value = parseInt(numbered[1], 10);
        li.textContent = numbered ? numbered[2] : bullet[1];
        list.appendChild(li);
      } else if (line.trim()) {
        list = null;
        container.appendChild(el("p", {}, line));
      }
    });
  }

  // A side-by-side comparison: a real <table>, scrollable on a narrow screen.
  function renderTable(table) {
    var wrap = el("div", { class: "msg-table" });
    var t = document.createElement("table");
    var headRow = t.createTHead().insertRow();
    (table.columns || []).forEach(function (name) {
      headRow.appendChild(el("th", { scope: "col" }, String(name)));
    });
    var body = t.createTBody();
    (table.rows || []).forEach(function (row) {
      var tr = body.insertRow();
      (row || []).forEach(function (value, i) {
        var cell = i === 0 ? el("th", { scope: "row" }) : el("td");
        cell.textContent = String(value);
        tr.appendChild(cell);
      });
    });
    wrap.appendChild(t);
    return wrap;
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight; // the log scrolls, never the page
  }

  function show(entry) {
    var li = el("li", { class: "msg msg-" + entry.from });
    if (entry.from === "staff") {
      li.appendChild(el("span", { class: "who" }, entry.name));
    } else if (entry.from !== "note") {
      li.appendChild(
        el("span", { class: "visually-hidden" }, entry.from === "bot" ? "Advisor: " : "You: ")
      );
    }
    if (entry.table && Array.isArray(entry.table.columns)) {
      if (entry.text) li.appendChild(el("p", { class: "visually-hidden" }, entry.text));
      li.appendChild(renderTable(entry.table));
    } else {
      renderText(li, entry.text || "");
    }
    if (entry.buttons && entry.buttons.length) {
      var group = el("div", {
        class: "msg-buttons",
        role: "group",
        "aria-label": "Suggested answers",
      });
      entry.buttons.forEach(function (b, i) {
        var button = el("button", { type: "button" }, b.title);
        if (entry.used) button.disabled = true;
        if (entry.chosen === i) button.className = "chosen";
        button.addEventListener("click", function () {
          if (entry.used) return;
          entry.chosen = i;
          button.className = "chosen";
          send(b.payload, b.title);
        });
        group.appendChild(button);
      });
      li.appendChild(group);
    }
    log.appendChild(li);
    scrollToEnd();
    return li;
  }

  function renderAll() {
    log.textContent = "";
    if (TEXT.greeting) show({ from: "bot", text: TEXT.greeting }).classList.add("greeting");
    transcript.forEach(show);
  }

  function announce(text) {
    live.textContent = "";
    live.textContent = text.slice(0, 500);
  }

  function note(text) {
    show({ from: "note", text: text }); // shown, not kept: it is about this moment only
    announce(text);
  }

  function setUnread(count) {
    unread = count;
    local.set(UNREAD_KEY, String(count));
    badge.hidden = count === 0;
    badge.textContent = count > 9 ? "9+" : String(count);
    launcher.setAttribute(
      "aria-label",
      TEXT.launcherLabel + (count ? " (" + count + " unread)" : "")
    );
  }

  // --- opening, closing, keeping focus inside on a phone ---------------------------------
  var phone = window.matchMedia("(max-width: 480px)");
  function modal() {
    if (phone.matches) panel.setAttribute("aria-modal", "true");
    else panel.removeAttribute("aria-modal");
  }
  if (phone.addEventListener) phone.addEventListener("change", modal);

  function isOpen() {
    return !panel.hidden;
  }

  function open(focus) {
    panel.hidden = false;
    modal();
    launcher.setAttribute("aria-expanded", "true");
    tab.set(OPEN_KEY, "1");
    setUnread(0);
    scrollToEnd();
    if (focus) input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    tab.remove(OPEN_KEY);
    launcher.focus();
  }

  function focusables() {
    return Array.prototype.filter.call(
      panel.querySelectorAll("button, input, [tabindex]"),
      function (node) {
        return !node.disabled && node.tabIndex >= 0 && node.getClientRects().length > 0;
      }
    );
  }

  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isOpen()) {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === "Tab" && phone.matches && isOpen()) {
      var nodes = focusables();
      if (!nodes.length) return;
      var first = nodes[0];
      var last = nodes[nodes.length - 1];
      var active = shadow.activeElement;
      if (event.shiftKey && (active === first || nodes.indexOf(active) < 0)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || nodes.indexOf(active) < 0)) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  launcher.addEventListener("click", function () {
    if (isOpen()) close();
    else open(true);
  });
  closeButton.addEventListener("click", close);

  // --- the conversation ------------------------------------------------------------------
  function stopWaiting() {
    typing.hidden = true;
    clearTimeout(waiting);
    waiting = null;
  }

  function startWaiting() {
    typing.hidden = false;
    scrollToEnd();
    clearTimeout(waiting);
    waiting = setTimeout(function () {
      stopWaiting();
      note(TEXT.noReplyText);
    }, replyTimeout);
  }

  function add(entry) {
    transcript.push(entry);
    save();
    show(entry);
  }

  // Once the student has answered, the buttons offered before are done with.
  function retireButtons() {
    transcript.forEach(function (entry) {
      if (entry.buttons && entry.buttons.length) entry.used = true;
    });
    Array.prototype.forEach.call(log.querySelectorAll(".msg-buttons button"), function (b) {
      b.disabled = true;
    });
  }

  function send(payload, shown) {
    if (typeof payload !== "string" || !payload.trim()) return;
    retireButtons();
    add({ from: "user", text: shown || payload });
    input.focus(); // a disabled button must not leave the focus nowhere
    startWaiting();
    var message = { message: payload };
    if (socket && confirmed) socket.emit("user_uttered", message);
    else pending.push(message);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    send(text);
  });

  clearButton.addEventListener("click", function () {
    transcript = [];
    save();
    local.remove(SESSION_KEY);
    handoffSeen = 0;
    local.set(HANDOFF_KEY, "0");
    session = null;
    pending = [];
    stopWaiting();
    renderAll();
    if (socket && socket.connected) {
      confirmed = false;
      socket.emit("session_request", { session_id: null }); // a new, empty conversation
    }
    announce(TEXT.clearedText);
    input.focus();
  });

  function received(message) {
    if (!message || typeof message !== "object") return;
    stopWaiting();
    if (typeof message.handoff_id === "number") {
      if (message.handoff_id <= handoffSeen) return; // shown already, before a reconnect
      handoffSeen = message.handoff_id;
      local.set(HANDOFF_KEY, String(handoffSeen));
    }
    var buttons = (message.quick_replies || message.buttons || [])
      .filter(function (b) { return b && typeof b.title === "string"; })
      .map(function (b) { return { title: b.title, payload: String(b.payload || b.title) }; });
    var text = typeof message.text === "string" ? message.text : "";
    if (!text && !buttons.length && !message.table) return;
    var staff = typeof message.sender === "string" && message.sender ? message.sender : "";
    if (staff) add({ from: "staff", name: staff, text: text });
    else add({ from: "bot", text: text, table: message.table, buttons: buttons });
    if (isOpen()) {
      announce(staff ? staff + ": " + text : text);
    } else {
      setUnread(unread + 1);
      announce(TEXT.newMessageText);
    }
  }

  function connect(io) {
    // WebSocket only: the server runs several worker processes and a long-polling session
    // would be split between them (channels/socketio.py)
    socket = io(server, { transports: ["websocket"] });
    socket.on("connect", function () {
      confirmed = false;
      socket.emit("session_request", { session_id: session });
    });
    socket.on("session_confirm", function (token) {
      if (typeof token !== "string") return;
      if (token !== session) {
        // a new conversation: the history shown belonged to the old one
        session = token;
        local.set(SESSION_KEY, session);
        if (transcript.length) {
          transcript = [];
          save();
          renderAll();
        }
        handoffSeen = 0;
        local.set(HANDOFF_KEY, "0");
      }
      confirmed = true;
      socket.emit("handoff_history", { after: handoffSeen });
      pending.splice(0).forEach(function (m) { socket.emit("user_uttered", m); });
    });
    socket.on("disconnect", function () { confirmed = false; });
    socket.on("bot_uttered", received);
    var offlineShown = false;
    socket.on("connect_error", function () {
      if (offlineShown) return;
      offlineShown = true;
      stopWaiting();
      if (isOpen()) note(TEXT.offlineText);
      else announce(TEXT.offlineText);
    });
    socket.on("connect", function () { offlineShown = false; });
  }

  // socket.io's client from vendor/ beside this file, without taking the page's `io` name.
  function loadSocketIo() {
    var had = Object.prototype.hasOwnProperty.call(window, "io");
    var previous = window.io;
    var tag = document.createElement("script");
    tag.src = new URL("vendor/socket.io-4.8.1.min.js", script.src).href;
    tag.async = true;
    tag.onload = function () {
      var io = window.io;
      if (had) window.io = previous;
      else delete window.io;
      if (typeof io === "function") connect(io);
      else note(TEXT.offlineText);
    };
    tag.onerror = function () { note(TEXT.offlineText); };
    (document.head || document.documentElement).appendChild(tag);
  }

  function start() {
    document.body.appendChild(host);
    if (host.showPopover) {
      host.setAttribute("popover", "manual"); // the top layer: above every z-index of the page
      try {
        host.showPopover();
      } catch (e) {
        /* stays a fixed element with the highest z-index */
      }
    }
    renderAll();
    setUnread(unread);
    if (tab.get(OPEN_KEY) === "1") open(false); // still open on the next page, focus untouched
    loadSocketIo();
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
