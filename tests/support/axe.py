"""axe-core in a Playwright page: the accessibility checks the browser tests run.

The bundle is axe-core's own axe.min.js, an exact devDependency of widget/ installed by
`make widget` (npm ci) into widget/node_modules: for the tests only, never under the
console's static files. It is put into the page through the DevTools protocol (evaluate),
which the page's Content-Security-Policy does not govern, so the page runs with its real
CSP. `serious_violations(page)` returns the serious and critical violations, each as a
short readable line; tests assert it is empty."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_BUNDLE = ROOT / "widget" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")

_RUN = """async (impacts) => {
  const result = await window.axe.run(document, {
    resultTypes: ["violations"],
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
  });
  return result.violations.filter((v) => impacts.includes(v.impact)).map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""


@cache
def axe_source() -> str:
    if not AXE_BUNDLE.exists():
        pytest.skip("axe-core is not installed (make widget)")
    return AXE_BUNDLE.read_text(encoding="utf-8")


def inject_axe(page: Any) -> None:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())


def violations(page: Any, impacts: tuple[str, ...] = SERIOUS) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now, of the given impacts."""
    inject_axe(page)
    return list(page.evaluate(_RUN, list(impacts)))


def serious_violations(page: Any) -> list[str]:
    """One line per serious or critical violation: "rule (impact): help — targets"."""
    return [f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(v['targets'])}"
            for v in violations(page)]
