// The console's one script: the quick exit on every signed-in page, the chat where there is one.
import { installQuickExit } from "./quick_exit.js";
import { startChat } from "./chat.js";

function start() {
  const root = document.getElementById("chat");
  const chat = root ? startChat(root) : null;
  installQuickExit(() => { if (chat) chat.stop(); });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
