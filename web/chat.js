// PACS advisor chat widget: Rasa's socket.io events, no framework.
// - Bot text is inserted as text (textContent), never as HTML.
// - The server issues the session (channels/sessions.py describes the protocol): the page
//   keeps the token it was given in localStorage and presents it on reconnect, so a reload
//   continues the same conversation and shows its history. A token the server no longer
//   honours gets a new session, and the old transcript is dropped with it.
// - Buttons are real <button>s (keyboard reachable); replies are announced by an ARIA
//   live region; a typing indicator shows while an answer is pending.
(function () {
  "use strict";
  var SESSION_KEY = "pacs-advisor-session";
  var LOG_KEY = "pacs-advisor-transcript";
  var log = document.getElementById("chat-log");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var typing = document.getElementById("chat-typing");
  var live = document.getElementById("chat-live");

  var session = localStorage.getItem(SESSION_KEY); // a token from the server, or null
  var confirmed = false; // messages typed before the server confirmed the session wait
  var pending = [];
  var transcript = JSON.parse(localStorage.getItem(LOG_KEY) || "[]");

  function save() {
    localStorage.setItem(LOG_KEY, JSON.stringify(transcript.slice(-200)));
  }

  // Lines starting with "- " or "1. " become list items; everything stays plain text.
  function renderText(container, text) {
    var list = null;
    text.split("\n").forEach(function (line) {
      var item = /^\s*(?:-|\d+\.)\s+(.*)$/.exec(line);
      if (item) {
        if (!list) {
          list = document.createElement("ul");
          container.appendChild(list);
        }
        var li = document.createElement("li");
        li.textContent = item[1];
        list.appendChild(li);
      } else if (line.trim()) {
        list = null;
        var p = document.createElement("p");
        p.textContent = line;
        container.appendChild(p);
      }
    });
  }

  // A side-by-side comparison: a real <table>, scrollable on a narrow screen.
  function renderTable(table) {
    var wrap = document.createElement("div");
    wrap.className = "msg-table";
    var t = document.createElement("table");
    var head = t.createTHead().insertRow();
    table.columns.forEach(function (name) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.appendChild(th);
    });
    var body = t.createTBody();
    table.rows.forEach(function (row) {
      var tr = body.insertRow();
      row.forEach(function (value, i) {
        var cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) cell.scope = "row";
        cell.textContent = value;
        tr.appendChild(cell);
      });
    });
    wrap.appendChild(t);
    return wrap;
  }

  function show(entry, announce) {
    var li = document.createElement("li");
    li.className = "msg msg-" + entry.from;
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = entry.from === "bot" ? "Advisor: " : "You: ";
    li.appendChild(who);
    if (entry.table) {
      li.appendChild(renderTable(entry.table));
    } else {
      renderText(li, entry.text || "");
    }
    if (entry.buttons && entry.buttons.length) {
      var group = document.createElement("div");
      group.className = "msg-buttons";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Suggested answers");
      entry.buttons.forEach(function (b) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title;
        button.addEventListener("click", function () { send(b.payload, b.title); });
        group.appendChild(button);
      });
      li.appendChild(group);
    }
    log.appendChild(li);
    li.scrollIntoView({ block: "end" });
    if (announce) live.textContent = (entry.text || "").slice(0, 500);
  }

  function add(entry, announce) {
    transcript.push(entry);
    save();
    show(entry, announce);
  }

  transcript.forEach(function (entry) { show(entry, false); });

  var socket = io(window.PACS_ADVISOR.server, { transports: ["websocket", "polling"] });
  socket.on("connect", function () {
    confirmed = false;
    socket.emit("session_request", { session_id: session });
  });
  socket.on("session_confirm", function (token) {
    if (token !== session) {
      // a new conversation: the history shown belonged to the old one
      session = token;
      localStorage.setItem(SESSION_KEY, session);
      if (transcript.length) {
        transcript = [];
        save();
        log.textContent = "";
      }
    }
    confirmed = true;
    pending.splice(0).forEach(function (message) { socket.emit("user_uttered", message); });
  });
  socket.on("disconnect", function () { confirmed = false; });
  socket.on("bot_uttered", function (message) {
    typing.hidden = true;
    var buttons = (message.quick_replies || message.buttons || []).map(function (b) {
      return { title: b.title, payload: b.payload };
    });
    add({ from: "bot", text: message.text || "", table: message.table, buttons: buttons }, true);
  });
  socket.on("connect_error", function () {
    typing.hidden = true;
    live.textContent = "The advisor cannot be reached right now. Please try again shortly.";
  });

  function send(payload, shown) {
    if (!payload || !payload.trim()) return;
    add({ from: "user", text: shown || payload }, false);
    typing.hidden = false;
    var message = { message: payload };
    if (confirmed) socket.emit("user_uttered", message);
    else pending.push(message);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.value);
    input.value = "";
    input.focus();
  });
})();
