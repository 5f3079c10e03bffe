"""`make bench`: how fast is the advisor, measured against a stock Rasa bot in the same run.

Measures, over the REST channel: full-turn latency p50/p95/p99 with 1, 8 and 32 concurrent
clients and the throughput (turns/s); NLU-only latency (/model/parse); the action server's
share of a turn; server memory (RSS); cold start; training time; knowledge load time.
The floor is a bot generated with `rasa init` (static responses, no action server), trained
and served here in the same run; our figures are reported as ratios to it.

Writes reports/bench.md, reports/bench.json and reports/bench.png.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import numpy as np

from advisor.knowledge import load
from scripts.live import BIN, ROOT, Bot, FloorBot

REPORTS = ROOT / "reports"
TOKEN = uuid.uuid4().hex
CONCURRENCY = (1, 8, 32)
TURNS_PER_CLIENT = {1: 100, 8: 40, 32: 15}
OUR_QUESTIONS = [
    "how much is Clarkson per credit?",
    "and where is that school?",
    "is Weber State online?",
    "how long does it take?",
    "what do I need to get into EFSC?",
    "who accredits HACC?",
]
FLOOR_QUESTIONS = ["hello", "I am sad", "yes", "great", "are you a bot?", "bye"]


def percentiles(samples: list[float]) -> dict[str, float]:
    values = np.array(samples) * 1000.0
    return {
        "p50_ms": float(np.percentile(values, 50)),
        "p95_ms": float(np.percentile(values, 95)),
        "p99_ms": float(np.percentile(values, 99)),
    }


async def _client(session, url: str, questions: list[str], turns: int, out: list[float]):
    sender = f"bench-{uuid.uuid4().hex[:10]}"
    for n in range(turns):
        body = {"sender": sender, "message": questions[n % len(questions)]}
        started = time.perf_counter()
        async with session.post(f"{url}/webhooks/rest/webhook", json=body) as response:
            await response.read()
            response.raise_for_status()
        out.append(time.perf_counter() - started)


async def _load(url: str, questions: list[str], clients: int, turns: int) -> dict:
    latencies: list[float] = []
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        started = time.perf_counter()
        await asyncio.gather(
            *(_client(session, url, questions, turns, latencies) for _ in range(clients))
        )
        wall = time.perf_counter() - started
    return {**percentiles(latencies), "turns": len(latencies), "turns_per_s": len(latencies) / wall}


async def _timed_posts(url: str, bodies: list[dict], headers: dict | None = None) -> list[float]:
    samples = []
    async with aiohttp.ClientSession() as session:
        for body in bodies:
            started = time.perf_counter()
            async with session.post(url, json=body, headers=headers) as response:
                await response.read()
                response.raise_for_status()
            samples.append(time.perf_counter() - started)
    return samples


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def measure(url: str, questions: list[str], pid: int) -> dict:
    asyncio.run(_load(url, questions, 4, 5))  # warm-up: models, caches, connections
    result: dict[str, Any] = {"load": {}}
    for clients in CONCURRENCY:
        result["load"][str(clients)] = asyncio.run(
            _load(url, questions, clients, TURNS_PER_CLIENT[clients])
        )
    parse = [{"text": questions[n % len(questions)]} for n in range(100)]
    result["nlu"] = percentiles(
        asyncio.run(_timed_posts(f"{url}/model/parse?token={TOKEN}", parse))
    )
    result["rss_mb"] = rss_mb(pid)
    return result


def action_server_latency(bot: Bot) -> dict:
    """Time the action server alone on the commonest request (a fact about a named program)."""
    body = {
        "next_action": "action_answer_question",
        "sender_id": "bench",
        "tracker": {
            "sender_id": "bench",
            "slots": {"programs": None, "fact": None},
            "latest_message": {
                "text": "how much is Clarkson?",
                "intent": {"name": "ask_question", "confidence": 1.0},
                "entities": [{"entity": "program", "value": "clarkson"}],
                "meaning": {"intent": "ask_question", "topic": "cost", "programs": ["clarkson"]},
            },
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
        "domain": {},
        "version": "3.6.21",
    }
    url = f"http://127.0.0.1:{bot.actions_port}/webhook"
    return percentiles(asyncio.run(_timed_posts(url, [body] * 100)))


def training_seconds() -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.monotonic()
        subprocess.run(
            [str(BIN / "rasa"), "train", "--force", "--out", out],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        return time.monotonic() - started


def knowledge_load_ms() -> float:
    load()  # imports and file cache warm
    samples = []
    for _ in range(20):
        started = time.perf_counter()
        load()
        samples.append((time.perf_counter() - started) * 1000.0)
    return statistics.median(samples)


def run() -> dict:
    results: dict = {"knowledge_load_ms": knowledge_load_ms()}
    print(f"knowledge load: {results['knowledge_load_ms']:.1f} ms", flush=True)
    results["ours_train_s"] = training_seconds()
    print(f"training: {results['ours_train_s']:.0f} s", flush=True)
    with tempfile.TemporaryDirectory() as workdir:
        bot = Bot(Path(workdir), api_token=TOKEN).start()
        try:
            results["ours_cold_start_s"] = bot.rasa.startup_seconds
            results["ours"] = measure(bot.url, OUR_QUESTIONS, bot.rasa.pid)
            results["ours"]["action_server"] = action_server_latency(bot)
        finally:
            bot.stop()
    print("advisor measured", flush=True)
    with tempfile.TemporaryDirectory() as workdir:
        floor = FloorBot(Path(workdir), api_token=TOKEN).build().start()
        try:
            results["floor_train_s"] = floor.train_seconds
            results["floor_cold_start_s"] = floor.rasa.startup_seconds
            results["floor"] = measure(floor.url, FLOOR_QUESTIONS, floor.rasa.pid)
        finally:
            floor.stop()
    print("floor measured", flush=True)
    return results


def markdown(r: dict) -> str:
    ours, floor = r["ours"], r["floor"]
    lines = [
        "# Benchmark",
        "",
        "Full turns over the REST channel; the floor is a stock `rasa init` bot (static "
        "responses, no action server) measured in the same run on the same machine.",
        "",
        "| clients | ours p50 ms | ours p95 ms | ours p99 ms | ours turns/s "
        "| floor p95 ms | floor turns/s | p95 ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for clients in CONCURRENCY:
        o, f = ours["load"][str(clients)], floor["load"][str(clients)]
        lines.append(
            f"| {clients} | {o['p50_ms']:.0f} | {o['p95_ms']:.0f} | {o['p99_ms']:.0f} "
            f"| {o['turns_per_s']:.1f} | {f['p95_ms']:.0f} | {f['turns_per_s']:.1f} "
            f"| {o['p95_ms'] / f['p95_ms']:.2f} |"
        )
    share = ours["action_server"]["p50_ms"] / ours["load"]["1"]["p50_ms"]
    lines += [
        "",
        "| measure | ours | floor | ratio |",
        "|---|---:|---:|---:|",
        f"| NLU only (/model/parse) p50 ms | {ours['nlu']['p50_ms']:.1f} "
        f"| {floor['nlu']['p50_ms']:.1f} | {ours['nlu']['p50_ms'] / floor['nlu']['p50_ms']:.2f} |",
        f"| server memory (RSS) MB | {ours['rss_mb']:.0f} | {floor['rss_mb']:.0f} "
        f"| {ours['rss_mb'] / floor['rss_mb']:.2f} |",
        f"| cold start s | {r['ours_cold_start_s']:.1f} | {r['floor_cold_start_s']:.1f} "
        f"| {r['ours_cold_start_s'] / r['floor_cold_start_s']:.2f} |",
        f"| training s | {r['ours_train_s']:.0f} | {r['floor_train_s']:.0f} "
        f"| {r['ours_train_s'] / r['floor_train_s']:.2f} |",
        "",
        f"- action server alone, p50: {ours['action_server']['p50_ms']:.1f} ms "
        f"({share:.0%} of a single-client turn)",
        f"- knowledge load (parse + validate both files): {r['knowledge_load_ms']:.1f} ms",
    ]
    return "\n".join(lines) + "\n"


def plot(r: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(10, 4))
    x = np.arange(len(CONCURRENCY))
    bots = (("advisor", "ours"), ("rasa init floor", "floor"))
    for offset, (name, key) in zip((-0.2, 0.2), bots, strict=True):
        p95 = [r[key]["load"][str(c)]["p95_ms"] for c in CONCURRENCY]
        tps = [r[key]["load"][str(c)]["turns_per_s"] for c in CONCURRENCY]
        latency.bar(x + offset, p95, width=0.4, label=name)
        throughput.bar(x + offset, tps, width=0.4, label=name)
    for axis, title in ((latency, "full-turn p95 (ms)"), (throughput, "throughput (turns/s)")):
        axis.set_xticks(x, [f"{c} clients" for c in CONCURRENCY])
        axis.set_title(title)
        axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main() -> int:
    REPORTS.mkdir(exist_ok=True)
    results = run()
    (REPORTS / "bench.json").write_text(json.dumps(results, indent=2))
    text = markdown(results)
    (REPORTS / "bench.md").write_text(text)
    plot(results, REPORTS / "bench.png")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
