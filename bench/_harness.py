"""Shared set-up for the benchmarks: a private data directory, the farm in its own process."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def configure(**extra) -> Path:
    """Environment for an isolated, embedded (SQLite) Ambassade, before Django is set up."""
    data = Path(tempfile.mkdtemp(prefix="ambassade-bench-"))
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "ambassade.settings", "AMBASSADE_DATA_DIR": str(data),
        "AMBASSADE_FARM_ALLOWED": "1", "AMBASSADE_WATCH_HOST_DELAY_MS": "0", "AMBASSADE_LOG_LEVEL": "WARNING",
        "AMBASSADE_ALLOW_DEV_SECRET": "1",  # a throwaway database on this machine
        **{k: str(v) for k, v in extra.items()},
    })
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    return data


class FarmProcess:
    def __init__(self, blogs: int, port: int, seed: int = 42):
        self.port = port
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ambassade", "farm", "--blogs", str(blogs), "--port", str(port), "--seed",
             str(seed), "--healthy"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "AMBASSADE_FARM_PORT": str(port)})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.control("stats", method="GET")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the farm did not start")

    def control(self, action: str, method: str = "POST", **data):
        body = "&".join(f"{k}={v}" for k, v in data.items()).encode() if method == "POST" else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/_farm/{action}", data=body, method=method)
        with urllib.request.urlopen(request, timeout=600) as response:
            return json.loads(response.read())

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def percentile(values, q):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
