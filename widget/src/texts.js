// The widget's texts, in the page's language: the console renders them from its catalog
// into <script type="application/json" id="widget-texts"> (data, never run). A missing
// block or key gives "" rather than an English string baked into the bundle.
let cache = null;

export function texts() {
  if (cache) return cache;
  cache = {};
  const block = document.getElementById("widget-texts");
  if (block) {
    try {
      const parsed = JSON.parse(block.textContent || "{}");
      if (parsed && typeof parsed === "object") cache = parsed;
    } catch (_) { /* leave the texts empty rather than break the chat */ }
  }
  return cache;
}

export function text(key) {
  const value = texts()[key];
  return typeof value === "string" ? value : "";
}
