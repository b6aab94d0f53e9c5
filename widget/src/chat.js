// The partner chat widget: Rasa's socket.io channel with a short-lived token from the
// console. Every text is put on the page with textContent, never as HTML.
import { io } from "socket.io-client";
import { text } from "./texts.js";

const ANSWER_TIMEOUT_MS = 60000;
// More choices than this become a compact list with a filter box.
const LONG_LIST = 6;
// A case reference in the outcome message: "HRD-2026-00001".
const REFERENCE = /\bHRD-\d{4}-\d{5}\b/;

function formatTime(seconds) {
  const when = new Date(seconds * 1000);
  try {
    // The console's locales are Canadian (Babel's en_CA / fr_CA for reloaded messages).
    return new Intl.DateTimeFormat((document.documentElement.lang || "en") + "-CA", {
      dateStyle: "medium", timeStyle: "medium", timeZone: "UTC",
    }).format(when) + " UTC";
  } catch (_) {
    return when.toISOString().replace("T", " ").slice(0, 19) + " UTC";
  }
}

function timeElement(seconds) {
  const time = document.createElement("time");
  time.className = "when";
  time.dateTime = new Date(seconds * 1000).toISOString();
  time.textContent = formatTime(seconds);
  return time;
}

// After the outcome: a link to the case and a way to start the next referral.
function outcomeLinks(reference) {
  const nav = document.createElement("p");
  nav.className = "outcome-links";
  const view = document.createElement("a");
  view.href = "/cases/" + reference;
  view.textContent = text("viewCase").replace("{reference}", reference);
  const form = document.createElement("form");
  form.method = "post";
  form.action = "/chat/new";
  const csrf = document.createElement("input");
  csrf.type = "hidden";
  csrf.name = "csrf_token";
  csrf.value = document.body.dataset.csrf || "";
  const again = document.createElement("button");
  again.type = "submit";
  again.className = "secondary";
  again.textContent = text("another");
  form.append(csrf, again);
  nav.append(view, form);
  return nav;
}

export function addOutcomeLinks(item) {
  const body = item.querySelector(".msg-text");
  const found = body && REFERENCE.exec(body.textContent || "");
  if (found && !item.querySelector(".outcome-links")) item.append(outcomeLinks(found[0]));
  return Boolean(found);
}

// The choices of a bot message: buttons, or for a long list a filter box above a compact,
// scrolling list. Each button keeps its index among the message's buttons (data-index).
function choiceGroup(buttons) {
  const group = document.createElement("div");
  group.className = "quick-replies";
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", text("suggested"));
  const holder = document.createElement("div");
  holder.className = "choices";
  buttons.forEach((b, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "reply";
    button.dataset.index = String(index);
    button.textContent = String(b.title || "");
    holder.append(button);
  });
  if (buttons.length > LONG_LIST) {
    group.classList.add("long");
    const filter = document.createElement("input");
    filter.type = "search";
    filter.className = "choice-filter";
    filter.setAttribute("aria-label", text("filter"));
    filter.placeholder = text("filter");
    filter.autocomplete = "off";
    filter.addEventListener("input", () => {
      const wanted = filter.value.trim().toLocaleLowerCase();
      holder.querySelectorAll("button").forEach((button) => {
        button.hidden = Boolean(wanted) &&
          !button.textContent.toLocaleLowerCase().includes(wanted);
      });
    });
    group.append(filter);
  }
  group.append(holder);
  return group;
}

export function compactChoices(list) {
  // Server-rendered choices (a reload) get the same treatment as live ones.
  list.querySelectorAll(".quick-replies").forEach((group) => {
    const buttons = Array.from(group.querySelectorAll("button")).map((b) => ({
      title: b.textContent,
    }));
    group.replaceWith(choiceGroup(buttons));
  });
}

export function startChat(root) {
  const list = document.getElementById("messages");
  const typing = document.getElementById("typing");
  const status = document.getElementById("chat-status");
  const progress = document.getElementById("progress");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const send = document.getElementById("send");
  const csrf = document.body.dataset.csrf || "";
  const sender = root.dataset.sender;
  let answerTimer = null;
  let refused = false;
  let fresh = root.dataset.fresh === "1"; // no message yet: the chat starts the referral

  function setStatus(message, ok) {
    status.textContent = message;
    status.classList.toggle("ok", Boolean(ok));
  }

  function setEnabled(enabled) {
    input.disabled = !enabled;
    send.disabled = !enabled;
    form.classList.toggle("offline", !enabled);
    list.querySelectorAll(".quick-replies button, .quick-replies input").forEach((b) => {
      b.disabled = !enabled;
    });
  }

  function showTyping(on) {
    typing.hidden = !on;
    clearTimeout(answerTimer);
    if (on) answerTimer = setTimeout(() => { typing.hidden = true; setStatus(text("noAnswer")); },
      ANSWER_TIMEOUT_MS);
  }

  function showProgress(value, ended) {
    if (!progress) return;
    if (ended) { progress.hidden = true; return; }
    if (!value || !Number.isInteger(value.number) || !Number.isInteger(value.total)) return;
    progress.textContent = text("progress").replace("{number}", String(value.number))
      .replace("{total}", String(value.total));
    progress.hidden = false;
    if (atBottom) scrollDown();
  }

  // Keep the newest message in view, and the input with it (the page itself never scrolls).
  // When the list changes size (the progress line appears, a phone's keyboard opens), it
  // stays at the bottom if it was there.
  let atBottom = true;
  function scrollDown() { list.scrollTop = list.scrollHeight; atBottom = true; }
  list.addEventListener("scroll", () => {
    atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 8;
  });
  if (window.ResizeObserver) {
    new ResizeObserver(() => { if (atBottom) list.scrollTop = list.scrollHeight; }).observe(list);
  }

  function addMessage(who, body, buttons, extras) {
    // Earlier suggestions stop being clickable once the conversation moves on.
    list.querySelectorAll(".quick-replies").forEach((group) => group.remove());
    const item = document.createElement("li");
    item.className = "msg msg-" + who;
    const kind = extras && extras.kind;
    if (kind === "not_understood" || kind === "error") item.classList.add("msg-" + kind);
    const label = document.createElement("span");
    label.className = "sr-only";
    label.textContent = who === "user" ? text("you") :
      kind === "error" ? text("assistantError") : text("assistant");
    const p = document.createElement("p");
    p.className = "msg-text";
    p.textContent = body;
    item.append(label, p);
    // Only the title goes to the page: the server maps a choice to its payload.
    if (buttons && buttons.length) item.append(choiceGroup(buttons));
    const stamp = extras && typeof extras.timestamp === "number" ? extras.timestamp : Date.now() / 1000;
    item.append(timeElement(stamp));
    list.append(item);
    if (who === "bot" && addOutcomeLinks(item)) showProgress(null, true);
    scrollDown();
    return item;
  }

  async function fetchToken() {
    const response = await fetch(root.dataset.tokenUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf },
      body: "sender=" + encodeURIComponent(sender),
    });
    if (!response.ok) throw new Error("token " + response.status);
    return (await response.json()).token;
  }

  const socket = io(root.dataset.rasaUrl, {
    path: "/socket.io",
    // Long-polling only: the Rasa server's websocket frames do not reach browsers intact.
    transports: ["polling"],
    upgrade: false,
    reconnectionDelayMax: 10000,
    // Called on every (re)connection: each socket gets a fresh short-lived token.
    auth: (cb) => { fetchToken().then((token) => cb({ token })).catch(() => cb({})); },
  });

  socket.on("connect", () => {
    socket.emit("session_request", { session_id: sender });
  });
  socket.on("session_confirm", () => {
    refused = false;
    setStatus(text("connected"), true);
    setEnabled(true);
    if (fresh) {
      // A new conversation opens with the greeting (on the page) and the first question.
      fresh = false;
      say(text("start"));
    }
    if (document.activeElement === document.body) input.focus({ preventScroll: true });
  });
  socket.on("connect_error", () => {
    showTyping(false);
    setEnabled(false);
    setStatus(text("unreachable"));
  });
  socket.on("disconnect", (reason) => {
    setEnabled(false);
    showTyping(false);
    if (!refused) setStatus(reason === "io server disconnect" ? text("refused") : text("unreachable"));
    if (reason === "io server disconnect" && !refused) socket.connect();
  });
  socket.on("hrd_error", (error) => {
    showTyping(false);
    const code = error && error.code;
    if (code === "invalid_message") { setStatus(text("invalid")); return; }
    refused = true;
    setStatus(text("refused"));
  });
  socket.on("bot_uttered", (message) => {
    showTyping(false);
    setStatus("", true);
    const buttons = (message && (message.quick_replies || message.buttons)) || [];
    addMessage("bot", String((message && message.text) || ""), buttons, message || {});
    if (message && message.progress) showProgress(message.progress, false);
  });

  // `choice`: the index of a tapped button among the last bot message's buttons. The
  // server sends that button's payload to the assistant; typed text is only ever text.
  function say(message, choice) {
    const body = message.trim();
    if (!body || !socket.connected) return;
    addMessage("user", body, []);
    const event = { message: body, session_id: sender };
    if (Number.isInteger(choice)) event.choice = choice;
    socket.emit("user_uttered", event);
    showTyping(true);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    say(input.value);
    input.value = "";
    input.focus({ preventScroll: true });
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  list.addEventListener("click", (event) => {
    const button = event.target.closest(".quick-replies button");
    if (!button || button.disabled) return;
    const choice = Number.parseInt(button.dataset.index || "", 10);
    say(button.textContent, Number.isInteger(choice) ? choice : undefined);
  });

  compactChoices(list);
  list.querySelectorAll(".msg-bot").forEach((item) => addOutcomeLinks(item));
  setStatus(text("connecting"), true);
  setEnabled(false);
  scrollDown();
  return {
    stop() {
      socket.disconnect();
      list.replaceChildren();
      input.value = "";
    },
  };
}
