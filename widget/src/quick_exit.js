// Quick exit: on the button or Esc, the page is replaced at once by a neutral one (with
// location.replace, so Back does not return), after wiping what is on screen and asking
// the console to end the session.
import { text } from "./texts.js";

export function installQuickExit(onExit) {
  const body = document.body;
  const exitUrl = body.dataset.exitUrl || "/weather";
  const csrf = body.dataset.csrf || "";
  let leaving = false;

  function quickExit() {
    if (leaving) return;
    leaving = true;
    try { onExit(); } catch (_) { /* leaving matters more */ }
    const main = document.getElementById("main");
    if (main) main.replaceChildren();
    document.title = text("exitTitle");
    try { sessionStorage.clear(); } catch (_) { /* storage may be disabled */ }
    if (csrf) {
      try {
        fetch("/signout", {
          method: "POST", keepalive: true, credentials: "same-origin", redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf },
          body: "csrf_token=" + encodeURIComponent(csrf),
        }).catch(() => {});
      } catch (_) { /* the neutral page comes first */ }
    }
    window.location.replace(exitUrl);
  }

  const button = document.getElementById("quick-exit");
  if (button) button.addEventListener("click", quickExit);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") quickExit();
  });
}
