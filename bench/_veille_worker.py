"""One veille worker for the benchmark's scale-out figures: set up, say "ready", wait for "go"
on standard input, run the cycle until nothing is due, print one JSON line.

Run by watch.py against the benchmark's own database and farm (its environment).
"""

import json
import sys
import time

import django

django.setup()
from ambassade.watch.cycle import run_cycle  # noqa: E402

batch = int(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
started = time.perf_counter()
report = run_cycle(batch)
print(json.dumps({"checked": report.checked, "statuses": dict(report.statuses), "new_posts": report.new_posts,
                  "seconds": time.perf_counter() - started}), flush=True)
