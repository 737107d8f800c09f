"""Measuring on a shared machine: CPU time (not wall time alone), medians of repeats, the machine's facts."""

from __future__ import annotations

import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(__file__).parent / ".cache"
_TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """User + system CPU seconds a running process has used so far (Linux ``/proc``; 10 ms ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


def spy_on(pid: int, output: Path) -> subprocess.Popen[bytes]:
    """py-spy sampling a running process into a flame graph at ``output`` (written when the process exits).

    ``--gil``: only the CPU spent on the main interpreter, which is what answering costs."""
    import sys

    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        raise RuntimeError("--profile needs py-spy: `make test` or `make bench` installs it into .venv")
    argv = [str(spy), "record", "--gil", "--rate", "250", "--format", "flamegraph", "--output", str(output)]
    return subprocess.Popen([*argv, "--pid", str(pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def process_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass(frozen=True)
class ChildRun:
    """A finished child process: its own wall time, CPU time and peak RSS."""

    returncode: int
    wall: float
    cpu: float
    peak_rss_mib: float
    stdout: str
    stderr: str


def run_child(argv: Sequence[str], *, env: dict[str, str] | None = None) -> ChildRun:
    """Run ``argv`` and measure just that child: ``wait4`` gives its own rusage, peak RSS included."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(argv), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out: list[str] = []
    err: list[str] = []
    readers = [
        threading.Thread(target=lambda s=stream, b=buf: b.append(s.read()), daemon=True)
        for stream, buf in ((proc.stdout, out), (proc.stderr, err))
    ]
    for reader in readers:
        reader.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    return ChildRun(
        proc.returncode, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, "".join(out), "".join(err)
    )


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: Sequence[float]) -> str:
    """``median (min–max, n=…)`` for the record: how noisy the repeats were."""
    if not values:
        return "–"
    return f"{median(values):.3g} ({min(values):.3g}–{max(values):.3g}, n={len(values)})"


def machine() -> dict[str, str]:
    """What produced the figures: cores, CPU model, Python, SQLite and PostgreSQL versions, load."""
    model = "?"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    try:
        postgres = subprocess.run(["psql", "--version"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        postgres = "not found"
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres,
        "load average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
