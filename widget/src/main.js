// The console's one script: the quick exit on every signed-in page, the chat where there is one.
import { installQuickExit } from "./quick_exit.js";
import { startChat } from "./chat.js";

// Touch screens have no Esc key to show: keyboard hints are hidden there (console.css also
// hides them for a coarse pointer before this runs).
function markTouch() {
  const coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
  if (coarse || navigator.maxTouchPoints > 0) document.documentElement.classList.add("touch");
}

function start() {
  markTouch();
  const root = document.getElementById("chat");
  const chat = root ? startChat(root) : null;
  installQuickExit(() => { if (chat) chat.stop(); });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
