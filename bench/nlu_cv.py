#!/usr/bin/env python
"""NLU cross-validation benchmark for the intent classifier.

Runs Rasa's NLU cross-validation on data/nlu with config.yml, then prints per-intent
F1, the macro intent F1, the confusion pairs (gold -> predicted) and the misclassified
examples, read from the reports Rasa writes (intent_report.json, intent_errors.json).

Exit status: 0 if macro F1 >= threshold (default 0.95), 1 if below, 2 if Rasa failed.
The macro F1 is printed either way.

Run from the repository root with the project's venv:
    .venv/bin/python bench/nlu_cv.py [--folds 3] [--threshold 0.95] [--keep DIR]

"inform -> <control intent>" confusions are flagged: a real answer classified as a
control intent (cancel, pause, correct, ...) would be lost by the form, which is the
worst error this classifier can make.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SUMMARY_KEYS = {"accuracy", "macro avg", "weighted avg", "micro avg"}
# Intents that exclude a message from being taken as an answer.
CONTROL_INTENTS = {
    "greet", "goodbye", "thank", "start_referral", "ask_why", "ask_help",
    "cancel", "pause", "resume", "correct", "out_of_scope", "bot_challenge",
    "nlu_fallback",
}
# Lines of Rasa/TensorFlow output worth showing when the run fails.
NOISE = ("WARNING", "Warning", "warn(", "tensorflow", "absl", "oneDNN", "cuda",
         "Epochs:", "%|", "it/s]", "s/it]")


def rasa_executable() -> str:
    venv_rasa = Path(sys.executable).with_name("rasa")
    return str(venv_rasa) if venv_rasa.exists() else "rasa"


def run_cv(out_dir: Path, folds: int, nlu: str, config: str) -> int:
    """Rasa's cross-validation; the right predictions are written too
    (intent_successes.json), which bench/nlu_cv_languages.py splits by language."""
    cmd = [
        rasa_executable(), "test", "nlu",
        "--nlu", nlu,
        "--cross-validation", "--folds", str(folds),
        "--config", config,
        "--out", str(out_dir),
        "--successes",
        "--no-plot",
    ]
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("PYTHONWARNINGS", "ignore")
    env.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    env["RASA_TELEMETRY_ENABLED"] = "false"
    print("running:", " ".join(cmd), flush=True)
    start = time.time()
    proc = subprocess.run(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    print(f"rasa finished in {time.time() - start:.0f}s (exit {proc.returncode})",
          flush=True)
    if proc.returncode != 0:
        lines = [line for line in proc.stdout.splitlines()
                 if line.strip() and not any(n in line for n in NOISE)]
        print("\n".join(lines[-40:]))
    return proc.returncode


def report(out_dir: Path, threshold: float) -> int:
    report_path = out_dir / "intent_report.json"
    if not report_path.exists():
        print(f"no intent report at {report_path}")
        return 2
    rep = json.loads(report_path.read_text())
    intents = {k: v for k, v in rep.items()
               if k not in SUMMARY_KEYS and isinstance(v, dict)}

    print("\nper-intent results (test folds, accumulated)")
    print(f"{'intent':<16} {'support':>7} {'prec':>6} {'recall':>6} {'f1':>6}")
    for name in sorted(intents, key=lambda n: intents[n].get("f1-score", 0)):
        m = intents[name]
        print(f"{name:<16} {int(m.get('support', 0)):>7} {m.get('precision', 0):>6.3f} "
              f"{m.get('recall', 0):>6.3f} {m.get('f1-score', 0):>6.3f}")

    # Macro over the gold intents (what Rasa reports as "macro avg"; computed here
    # too so that a predicted-only label such as nlu_fallback is visible but not averaged).
    gold = {n: m for n, m in intents.items() if m.get("support", 0) > 0}
    macro = sum(m["f1-score"] for m in gold.values()) / max(len(gold), 1)
    rasa_macro = rep.get("macro avg", {}).get("f1-score")

    # Full confusion pairs come from intent_errors.json (Rasa's "confused_with" in the
    # report only keeps the top two or three per intent).
    errors_path = out_dir / "intent_errors.json"
    errors = json.loads(errors_path.read_text()) if errors_path.exists() else None
    counts: dict = {}
    if errors is not None:
        for e in errors:
            key = (e["intent"], e["intent_prediction"]["name"] or "None")
            counts[key] = counts.get(key, 0) + 1
    else:
        for name, m in intents.items():
            for other, count in (m.get("confused_with") or {}).items():
                counts[(name, other)] = count
    pairs = sorted(((c, g, p) for (g, p), c in counts.items()), reverse=True)
    print("\nconfusions (gold -> predicted: count)")
    if not pairs:
        print("  none")
    for count, gold_name, pred in pairs:
        flag = ""
        if gold_name == "inform" and pred in CONTROL_INTENTS:
            flag = "   <-- answer lost (inform taken as control)"
        print(f"  {gold_name} -> {pred}: {count}{flag}")

    if errors is not None:
        print(f"\nmisclassified examples ({len(errors)})")
        for e in sorted(errors, key=lambda e: (e["intent"], e["intent_prediction"]["name"] or "")):
            pred = e["intent_prediction"]
            print(f"  [{e['intent']} -> {pred['name']} {pred.get('confidence') or 0:.2f}] "
                  f"{e['text']}")

    lost = sum(c for c, g, p in pairs if g == "inform" and p in CONTROL_INTENTS)
    print(f"\ninform examples taken as control intents: {lost}")
    if rasa_macro is not None:
        print(f"rasa 'macro avg' f1: {rasa_macro:.4f}")
    print(f"MACRO INTENT F1: {macro:.4f} (threshold {threshold})")
    return 0 if macro >= threshold else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--threshold", type=float, default=0.95)
    ap.add_argument("--nlu", default="data/nlu")
    ap.add_argument("--config", default="config.yml")
    ap.add_argument("--keep", help="write reports to this directory and keep them")
    ap.add_argument("--report-only", metavar="DIR",
                    help="only summarise reports already written in DIR")
    args = ap.parse_args()

    if args.report_only:
        return report(Path(args.report_only), args.threshold)

    if args.keep:
        out_dir = Path(args.keep).resolve()
        out_dir.mkdir(parents=True, exist_ok=True)
        cleanup = False
    else:
        out_dir = Path(tempfile.mkdtemp(prefix="nlu_cv_"))
        cleanup = True
    try:
        if run_cv(out_dir, args.folds, args.nlu, args.config) != 0:
            print("MACRO INTENT F1: n/a (rasa test failed)")
            return 2
        return report(out_dir, args.threshold)
    finally:
        if cleanup:
            shutil.rmtree(out_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
