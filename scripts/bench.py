"""`make bench`: how fast is the advisor, measured against a stock Rasa bot in the same run.

Measures, over the REST channel: full-turn latency p50/p95/p99 with 1, 8 and 32 concurrent
clients and the throughput (turns/s); what turn 30 of a conversation costs against turn 1,
and how large the action server's request is at each; NLU-only latency (/model/parse), for
texts asked before and never asked; the action server's share of a turn; server memory;
cold start; training time; knowledge load time.
The floor is a bot generated with `rasa init` (static responses, no action server), trained
and served here in the same run, as `rasa run` starts it (one process); ours runs as
`make run` starts it (2 worker processes). Our figures are reported as ratios to the floor.
The peer is a stock knowledge-base-style bot: the same `rasa init` project (DIET, TED,
in-memory tracker store) answering every message with a custom action that reads a JSON
file, on rasa_sdk's action server.

Memory is the proportional set size (PSS) summed over the server's processes: pages the
workers share with their parent count once, so one process and three compare fairly.

Writes reports/bench.md, reports/bench.json and reports/bench.png.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
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
from scripts.live import BIN, ROOT, Bot, FloorBot, KnowledgeBaseBot

REPORTS = ROOT / "reports"
TOKEN = uuid.uuid4().hex
CONCURRENCY = (1, 8, 32)
TURNS_PER_CLIENT = {1: 100, 8: 40, 32: 15}
LONG_TURNS, LONG_CONVERSATIONS = 30, 16
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


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(child) for child in found.stdout.split()]


def pss_mb(pid: int) -> float:
    """Proportional set size of ``pid`` and its child processes (Sanic's workers), in MB."""
    total = 0
    for process in [pid, *_children(pid)]:
        for line in Path(f"/proc/{process}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
    return total / 1024.0


def script_of(questions: list[str], turns: int) -> list[str]:
    """``turns`` messages cycling through ``questions``; the last one is the first again,
    so that turn 1 and the last turn ask the same."""
    return [questions[n % len(questions)] for n in range(turns - 1)] + [questions[0]]


async def _long_conversations(url: str, questions: list[str]) -> list[list[float]]:
    """Seconds per turn index, over LONG_CONVERSATIONS conversations of LONG_TURNS turns,
    one conversation at a time."""
    per_turn: list[list[float]] = [[] for _ in range(LONG_TURNS)]
    async with aiohttp.ClientSession() as session:
        for _ in range(LONG_CONVERSATIONS):
            sender = f"long-{uuid.uuid4().hex[:10]}"
            for n, text in enumerate(script_of(questions, LONG_TURNS)):
                started = time.perf_counter()
                body = {"sender": sender, "message": text}
                async with session.post(f"{url}/webhooks/rest/webhook", json=body) as response:
                    await response.read()
                    response.raise_for_status()
                per_turn[n].append(time.perf_counter() - started)
    return per_turn


def long_conversation(url: str, questions: list[str]) -> dict:
    per_turn = asyncio.run(_long_conversations(url, questions))
    first, last = (statistics.median(per_turn[i]) * 1000.0 for i in (0, -1))
    return {"turn1_ms": first, "last_turn_ms": last, "ratio": last / first}


def measure(url: str, questions: list[str], pid: int) -> dict:
    asyncio.run(_load(url, questions, 4, 5))  # warm-up: models, caches, connections
    result: dict[str, Any] = {"load": {}}
    for clients in CONCURRENCY:
        result["load"][str(clients)] = asyncio.run(
            _load(url, questions, clients, TURNS_PER_CLIENT[clients])
        )
    parse_url = f"{url}/model/parse?token={TOKEN}"
    parse = [{"text": questions[n % len(questions)]} for n in range(100)]
    result["nlu"] = percentiles(asyncio.run(_timed_posts(parse_url, parse)))
    # texts never asked before: nothing any cache holds
    unseen = [{"text": f"{questions[n % len(questions)]} ({n})"} for n in range(100)]
    result["nlu_unseen"] = percentiles(asyncio.run(_timed_posts(parse_url, unseen)))
    result["long"] = long_conversation(url, questions)
    result["memory_mb"] = pss_mb(pid)
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


def payload_sizes(bot: Bot) -> dict[str, int]:
    """Bytes of the request Rasa posts to the action server at turn 1 and at the last turn
    of a long conversation of the bench, rebuilt from the tracker store exactly as Rasa
    builds it (with the changes of channels.action_calls)."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import read_endpoint_config

    from channels import action_calls

    action_calls.prepare()
    domain = Domain.load(str(ROOT / "domain.yml"))
    endpoint = read_endpoint_config(str(bot.workdir / "endpoints.yml"), "action_endpoint")
    with sqlite3.connect(bot.workdir / "tracker.db") as db:
        sender = db.execute(
            "SELECT sender_id FROM events WHERE sender_id LIKE 'rest:long-%' LIMIT 1"
        ).fetchone()[0]
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    tracker = DialogueStateTracker.from_dict(sender, [json.loads(r[0]) for r in rows], domain.slots)
    sizes, turn = {}, 0
    # replay the conversation; measure the first custom action after turns 1 and the last
    replay = DialogueStateTracker(sender, domain.slots)
    for event in tracker.events:
        if isinstance(event, UserUttered):
            turn += 1
        if (
            isinstance(event, ActionExecuted)
            and (event.action_name or "").startswith("action_")
            and event.action_name not in ("action_listen", "action_session_start")
            and turn in (1, LONG_TURNS)
            and f"turn_{turn}" not in sizes
        ):
            call = RemoteAction(event.action_name, endpoint)._action_call_format(replay, domain)
            sizes[f"turn_{turn}"] = len(json.dumps(call).encode())
        replay.update(event)
    return sizes


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
            results["ours"]["action_server_memory_mb"] = pss_mb(bot.actions.pid)
            results["ours"]["payload_bytes"] = payload_sizes(bot)
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
    with tempfile.TemporaryDirectory() as workdir:
        peer = KnowledgeBaseBot(Path(workdir), api_token=TOKEN)
        peer.build()
        try:
            peer.start()
            results["peer"] = measure(peer.url, FLOOR_QUESTIONS, peer.rasa.pid)
            results["peer"]["action_server_memory_mb"] = pss_mb(peer.actions.pid)
        finally:
            peer.stop()
    print("knowledge-base peer measured", flush=True)
    return results


def markdown(r: dict) -> str:
    ours, floor, peer = r["ours"], r["floor"], r["peer"]
    lines = [
        "# Benchmark",
        "",
        "Full turns over the REST channel; the floor is a stock `rasa init` bot (static "
        "responses, no action server, one process as `rasa run` starts it) measured in the "
        "same run on the same machine; ours runs as `make run` starts it (2 Rasa workers).",
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
    lines += [
        "",
        "Against the knowledge-base-style peer (`rasa init` with DIET and TED, every answer from a "
        "custom action reading a JSON file, in-memory tracker store), same run:",
        "",
        "| measure | ours | peer | ratio |",
        "|---|---:|---:|---:|",
        *(
            _row(
                f"{name}, {clients} clients",
                ours["load"][clients][key],
                peer["load"][clients][key],
                style,
            )
            for clients in ("1", "8", "32")
            for name, key, style in (("turns/s", "turns_per_s", ".1f"), ("p95 ms", "p95_ms", ".0f"))
        ),
        _row("turn 30 / turn 1", ours["long"]["ratio"], peer["long"]["ratio"], ".2f"),
        _row(
            "memory with the action server (PSS) MB",
            ours["memory_mb"] + ours["action_server_memory_mb"],
            peer["memory_mb"] + peer["action_server_memory_mb"],
        ),
    ]
    share = ours["action_server"]["p50_ms"] / ours["load"]["1"]["p50_ms"]
    lines += [
        "",
        "| measure | ours | floor | ratio |",
        "|---|---:|---:|---:|",
        _row(
            "throughput, 8 clients, turns/s",
            ours["load"]["8"]["turns_per_s"],
            floor["load"]["8"]["turns_per_s"],
            ".1f",
        ),
        _row(
            "throughput, 32 clients, turns/s",
            ours["load"]["32"]["turns_per_s"],
            floor["load"]["32"]["turns_per_s"],
            ".1f",
        ),
        _row("single client p50 ms", ours["load"]["1"]["p50_ms"], floor["load"]["1"]["p50_ms"]),
        _row(
            f"turn 1 of a conversation ms (median of {LONG_CONVERSATIONS})",
            ours["long"]["turn1_ms"],
            floor["long"]["turn1_ms"],
        ),
        _row(
            f"turn {LONG_TURNS} ms (the same question as turn 1)",
            ours["long"]["last_turn_ms"],
            floor["long"]["last_turn_ms"],
        ),
        f"| turn {LONG_TURNS} / turn 1 | {ours['long']['ratio']:.2f} "
        f"| {floor['long']['ratio']:.2f} | |",
        _row(
            "NLU only (/model/parse) p50 ms, texts asked before",
            ours["nlu"]["p50_ms"],
            floor["nlu"]["p50_ms"],
        ),
        _row(
            "NLU only p50 ms, texts never asked",
            ours["nlu_unseen"]["p50_ms"],
            floor["nlu_unseen"]["p50_ms"],
        ),
        _row("Rasa server memory (PSS, all processes) MB", ours["memory_mb"], floor["memory_mb"]),
        _row(
            "... with the action server MB",
            ours["memory_mb"] + ours["action_server_memory_mb"],
            floor["memory_mb"],
        ),
        f"| cold start s | {r['ours_cold_start_s']:.1f} | {r['floor_cold_start_s']:.1f} "
        f"| {r['ours_cold_start_s'] / r['floor_cold_start_s']:.2f} |",
        f"| training s | {r['ours_train_s']:.0f} | {r['floor_train_s']:.0f} "
        f"| {r['ours_train_s'] / r['floor_train_s']:.2f} |",
        "",
        f"- action server alone, p50: {ours['action_server']['p50_ms']:.1f} ms "
        f"({share:.0%} of a single-client turn)",
        f"- knowledge load (parse + validate both files): {r['knowledge_load_ms']:.1f} ms",
        "- request to the action server: "
        + ", ".join(
            f"{k.replace('_', ' ')}: {v:,} bytes" for k, v in ours["payload_bytes"].items()
        ),
    ]
    return "\n".join(lines) + "\n"


def _row(name: str, ours: float, floor: float, style: str = ".0f") -> str:
    return f"| {name} | {ours:{style}} | {floor:{style}} | {ours / floor:.2f} |"


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
