#!/usr/bin/env python
"""NLU cross-validation of the one bilingual model, reported per official language.

Runs Rasa's NLU cross-validation on all of data/nlu (English and French together, as the
model is trained) with config.yml, then splits the test-fold predictions by language: an
example is French when it comes from a data/nlu/*_fr.yml file, English otherwise. Prints
per-intent F1 and the macro intent F1 for each of en and fr.

Exit status: 0 if both macro F1 >= threshold (default 0.95), 1 if either is below,
2 if Rasa failed.

    .venv/bin/python bench/nlu_cv_languages.py [--folds 3] [--threshold 0.95] [--keep DIR]
    .venv/bin/python bench/nlu_cv_languages.py --report-only DIR   (reports of bench/nlu_cv.py)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import yaml
from nlu_cv import REPO, run_cv  # bench/ is on sys.path when this runs as a script

NLU_DIR = REPO / "data" / "nlu"
LANGUAGES = ("en", "fr")


def language_of(path: Path) -> str:
    return "fr" if path.stem.endswith("_fr") else "en"


def example_languages() -> dict[tuple[str, str], str]:
    """(text, intent) -> language, from the file each example comes from."""
    languages: dict[tuple[str, str], str] = {}
    for path in sorted(NLU_DIR.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
            intent = block.get("intent")
            for line in (block.get("examples") or "").splitlines():
                text = line.strip()
                if intent and text.startswith("- "):
                    languages.setdefault((text[2:].strip(), intent), language_of(path))
    return languages


def f1_by_intent(pairs: list[tuple[str, str]]) -> dict[str, tuple[int, float]]:
    """Intent -> (support, F1) over the gold intents of these (gold, predicted) pairs."""
    gold, predicted, hits = Counter(), Counter(), Counter()
    for g, p in pairs:
        gold[g] += 1
        predicted[p] += 1
        hits[g] += g == p
    scores = {}
    for intent, support in gold.items():
        precision = hits[intent] / predicted[intent] if predicted[intent] else 0.0
        recall = hits[intent] / support
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[intent] = (support, f1)
    return scores


def report(out_dir: Path, threshold: float) -> int:
    results = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = out_dir / name
        if path.exists():
            results += json.loads(path.read_text())
    if not results:
        print(f"no predictions in {out_dir}")
        return 2
    languages = example_languages()
    pairs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    for result in results:
        gold, pred = result["intent"], result["intent_prediction"]["name"] or "None"
        lang = languages.get((result["text"], gold), "en")
        pairs[lang].append((gold, pred))
        if gold != pred:
            errors[lang].append(f"  {gold} -> {pred}: {result['text']}")
    status = 0
    for lang in LANGUAGES:
        scores = f1_by_intent(pairs[lang])
        macro = sum(f1 for _, f1 in scores.values()) / max(len(scores), 1)
        print(f"\n[{lang}] {len(pairs[lang])} test examples")
        print(f"{'intent':<16} {'support':>7} {'f1':>6}")
        for intent, (support, f1) in sorted(scores.items(), key=lambda kv: kv[1][1]):
            print(f"{intent:<16} {support:>7} {f1:>6.3f}")
        print(f"errors ({len(errors[lang])}):")
        print("\n".join(errors[lang][:40]) or "  none")
        verdict = "ok" if macro >= threshold else "BELOW THRESHOLD"
        print(f"[{lang}] macro intent F1: {macro:.4f} (threshold {threshold}) {verdict}")
        if macro < threshold:
            status = 1
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--threshold", type=float, default=0.95)
    parser.add_argument("--keep", type=Path, default=None, help="keep Rasa's reports here")
    parser.add_argument("--report-only", type=Path, metavar="DIR",
                        help="only split reports already written in DIR (by bench/nlu_cv.py)")
    args = parser.parse_args()
    if args.report_only:
        return report(args.report_only, args.threshold)
    with tempfile.TemporaryDirectory(prefix="nlu_cv_lang_") as tmp:
        out_dir = args.keep or Path(tmp)
        if run_cv(out_dir, args.folds, str(NLU_DIR), str(REPO / "config.yml")) != 0:
            return 2
        return report(out_dir, args.threshold)


if __name__ == "__main__":
    sys.exit(main())
