"""`make eval`: how good is the bot? Prints and writes the figures.

1. NLU 5-fold cross-validation on data/nlu.yml (DIET has a fixed random seed, so a rerun gives
   the same figures): intent macro-F1, accuracy, and the weakest intents.
2. The held-out question sets replayed against a freshly started bot, by category.

Results go to reports/eval.json and reports/eval.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.heldout import replay, summary
from scripts.live import BIN, ROOT, Bot

REPORTS = ROOT / "reports"
CV_OUT = REPORTS / "crossval"
FOLDS = 5


def cross_validate() -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
    subprocess.run(
        [str(BIN / "rasa"), "test", "nlu", "--nlu", "data/nlu.yml", "--config", "config.yml",
         "--cross-validation", "--folds", str(FOLDS), "--out", str(CV_OUT)],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    report = json.loads((CV_OUT / "intent_report.json").read_text())
    per_intent = {
        name: row["f1-score"]
        for name, row in report.items()
        if isinstance(row, dict) and "f1-score" in row and name not in
        ("micro avg", "macro avg", "weighted avg")
    }  # fmt: skip
    return {
        "folds": FOLDS,
        "intent_macro_f1": report["macro avg"]["f1-score"],
        "intent_accuracy": report.get("accuracy"),
        "weakest_intents": sorted(per_intent.items(), key=lambda kv: kv[1])[:5],
    }


def held_out() -> dict:
    with tempfile.TemporaryDirectory() as workdir:
        bot = Bot(Path(workdir)).start()
        try:
            results = replay(bot.url)
        finally:
            bot.stop()
    wrong = [
        {"said": r.said, "missing": r.missing, "forbidden": r.forbidden, "reply": r.reply}
        for r in results
        if not r.correct
    ]
    return {"by_category": summary(results), "wrong": wrong}


def write_markdown(cv: dict, heldout: dict) -> str:
    lines = [
        "# Evaluation",
        "",
        f"## NLU {cv['folds']}-fold cross-validation (data/nlu.yml)",
        "",
        f"- intent macro-F1: **{cv['intent_macro_f1']:.3f}**",
        f"- intent accuracy: {cv['intent_accuracy']:.3f}",
        "- weakest intents: " + ", ".join(f"{name} {f1:.3f}" for name, f1 in cv["weakest_intents"]),
        "",
        "## Held-out questions (tests/heldout), replayed against the running bot",
        "",
        "| category | correct | total | accuracy |",
        "|---|---:|---:|---:|",
    ]
    for category, row in sorted(heldout["by_category"].items()):
        lines.append(f"| {category} | {row['correct']} | {row['total']} | {row['accuracy']:.1%} |")
    if heldout["wrong"]:
        lines += ["", "### Wrong answers", ""]
        lines += [f"- {w['said']!r}: missing {w['missing']}" for w in heldout["wrong"]]
    return "\n".join(lines) + "\n"


def main() -> int:
    REPORTS.mkdir(exist_ok=True)
    cv = cross_validate()
    heldout = held_out()
    (REPORTS / "eval.json").write_text(json.dumps({"crossval": cv, "heldout": heldout}, indent=2))
    markdown = write_markdown(cv, heldout)
    (REPORTS / "eval.md").write_text(markdown)
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
