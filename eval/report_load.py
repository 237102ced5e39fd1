"""The report folder of a load run: `load.json` and `load.md`."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from eval.load import SEARCH_K, LoadReport


def load_markdown(report: LoadReport) -> str:
    plan = report.plan
    ask_percent = round(plan.ask_share * 100)
    lines = [
        "# Load test",
        "",
        f"{plan.clients} concurrent clients for {plan.seconds:g} s against {plan.url} "
        f"({report.server}): {ask_percent}% POST /api/ask, {100 - ask_percent}% GET /api/search "
        f"(k={SEARCH_K}), cycling through {plan.questions} questions; "
        f"{plan.timeout_seconds:g} s timeout per request.",
        "",
        f"**{'Target met' if report.target_met else 'Target missed'}** (0 errors): "
        f"{report.error_total} errors in {report.requests} requests, "
        f"{report.requests_per_second} requests/s over {report.elapsed_seconds} s.",
        "",
        "| endpoint | requests | errors | req/s | mean ms | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [(e.latency, e.errors, e.requests_per_second) for e in report.endpoints]
    if report.overall is not None:
        rows.append((report.overall, report.error_total, report.requests_per_second))
    for s, errors, rate in rows:
        lines.append(
            f"| {s.endpoint} | {s.requests} | {errors} | {rate} | {s.mean_ms:.0f} | "
            f"{s.p50_ms:.0f} | {s.p95_ms:.0f} | {s.p99_ms:.0f} | {s.max_ms:.0f} |"
        )
    by_kind = ", ".join(f"{e.kind} × {e.count}" for e in report.errors) or "none"
    lines += ["", f"Errors by kind: {by_kind}.", ""]
    lines += [f"Rate limit: {report.rate_limit}", ""]
    host = report.host
    lines += [
        f"Machine: {host.cpus} CPUs shared by the clients and the server; 1-minute load average "
        f"{host.load_average_1m} when the run started. Latency is measured at the client, from "
        "sending the request to the whole response, failed requests included.",
        "",
        f"Command: `healthqa load --clients {plan.clients} --seconds {plan.seconds:g} "
        f"--mix {plan.ask_share:g}`",
        "",
    ]
    return "\n".join(lines)


def write_load_report(directory: Path, report: LoadReport) -> Path:
    """load.json and load.md; returns the path of load.md."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "load.json").write_text(
        json.dumps(dataclasses.asdict(report), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    path = directory / "load.md"
    path.write_text(load_markdown(report), encoding="utf-8")
    return path
