// The partner chat widget: Rasa's socket.io channel with a short-lived token from the
// console. Every text is put on the page with textContent, never as HTML.
import { io } from "socket.io-client";
import { text } from "./texts.js";

const ANSWER_TIMEOUT_MS = 60000;

export function startChat(root) {
  const list = document.getElementById("messages");
  const typing = document.getElementById("typing");
  const status = document.getElementById("chat-status");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const send = document.getElementById("send");
  const csrf = document.body.dataset.csrf || "";
  const sender = root.dataset.sender;
  let answerTimer = null;
  let refused = false;

  function setStatus(message, ok) {
    status.textContent = message;
    status.classList.toggle("ok", Boolean(ok));
  }

  function setEnabled(enabled) {
    input.disabled = !enabled;
    send.disabled = !enabled;
    list.querySelectorAll(".quick-replies button").forEach((b) => { b.disabled = !enabled; });
  }

  function showTyping(on) {
    typing.hidden = !on;
    clearTimeout(answerTimer);
    if (on) answerTimer = setTimeout(() => { typing.hidden = true; setStatus(text("noAnswer")); },
      ANSWER_TIMEOUT_MS);
  }

  function scrollDown() { list.scrollTop = list.scrollHeight; }

  function addMessage(who, body, buttons) {
    // Earlier suggestions stop being clickable once the conversation moves on.
    list.querySelectorAll(".quick-replies").forEach((group) => group.remove());
    const item = document.createElement("li");
    item.className = "msg msg-" + who;
    const label = document.createElement("span");
    label.className = "sr-only";
    label.textContent = who === "user" ? text("you") : text("assistant");
    const p = document.createElement("p");
    p.className = "msg-text";
    p.textContent = body;
    item.append(label, p);
    if (buttons && buttons.length) {
      const group = document.createElement("div");
      group.className = "quick-replies";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", text("suggested"));
      // Only the title goes to the page: the server maps a choice to its payload.
      for (const b of buttons) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "reply";
        button.textContent = String(b.title || "");
        group.append(button);
      }
      item.append(group);
    }
    list.append(item);
    scrollDown();
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
    if (document.activeElement === document.body) input.focus();
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
    addMessage("bot", String((message && message.text) || ""), buttons);
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
    input.focus();
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
    const choice = Array.prototype.indexOf.call(button.parentNode.children, button);
    say(button.textContent, choice);
  });

  setStatus(text("connecting"), true);
  scrollDown();
  return {
    stop() {
      socket.disconnect();
      list.replaceChildren();
      input.value = "";
    },
  };
}
