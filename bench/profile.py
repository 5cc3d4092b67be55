"""`python -m bench profile`: where a server's time goes under the http mix. Starts a
jixiao server process, drives 16 clients for a bounded time, samples it with py-spy
(`pip install -e '.[bench]'`), and prints the share of samples under each of the project's
functions and the server's CPU per request. Sampling slows the server: read the shares,
not the rate."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.load import free_port, jixiao_server, open_tasks, prepare, run_mix, settings_env
from bench.report import bench_settings, drop_schema, store_url
from infrastructure.logging import configure_logging

FRAME = re.compile(r"(.*?) \((.*?):\d+\)$")
OURS = ("api/", "domain/", "infrastructure/", "projections/")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def shares(raw: Path, top: int) -> list[tuple[float, str]]:
    """Share of samples with each of the project's functions on the stack."""
    counts: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        total += int(n)
        names = set()
        for frame in stack.split(";"):
            match = FRAME.match(frame)
            if match and match.group(2).startswith(OURS):
                names.add(f"{match.group(1)} ({match.group(2)})")
        for name in names:
            counts[name] += int(n)
    return [(100 * n / max(total, 1), name) for name, n in counts.most_common(top)]


def main(args: Any) -> None:
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        sys.exit("py-spy is not installed: pip install -e '.[bench]'")
    configure_logging("console", "WARNING")
    url = store_url(args.store, Path(tempfile.mkdtemp()), "profile")
    settings = bench_settings(url)
    raw = Path(tempfile.mkdtemp()) / "profile.raw"
    try:
        plan = prepare(settings, objects=16)
        with jixiao_server(settings_env(settings), free_port()) as base:
            open_tasks(base, plan)
            pid = _server_pid(base)
            recorder = subprocess.Popen(
                [
                    spy,
                    "record",
                    "-p",
                    str(pid),
                    "-d",
                    str(int(args.seconds)),
                    "-r",
                    "100",
                    "--nonblocking",
                    "-f",
                    "raw",
                    "-o",
                    str(raw),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(0.5)
            before = cpu_seconds(pid)
            results = run_mix(base, plan, 16, args.seconds)
            cpu = cpu_seconds(pid) - before
            recorder.wait()
    finally:
        drop_schema(url)
    print(
        f"{args.store}: {results.requests} requests, {results.requests / results.seconds:.0f}/s "
        f"while sampled; server CPU {1000 * cpu / max(results.requests, 1):.2f} ms per request"
    )
    for share, name in shares(raw, args.top):
        print(f"{share:5.1f}%  {name}")


def _server_pid(base: str) -> int:
    """The pid listening on the server's port (the process `jixiao_server` started)."""
    port = base.rsplit(":", 1)[1]
    out = subprocess.run(["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True)
    match = re.search(r"pid=(\d+)", out.stdout)
    if match is None:
        sys.exit(f"cannot find the server on port {port}")
    return int(match.group(1))
