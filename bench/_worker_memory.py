"""A veille worker alone, for its memory: RSS after start-up, then after each full 304 cycle
over the first `watched` blogs (the others are left not due).

Run by watch.py against the benchmark's own database and farm; prints one JSON line.
"""

import gc
import json
import sys

import django  # noqa: E402
from _harness import rss_kib

django.setup()
from django.utils import timezone  # noqa: E402

import ambassade.watch.crawler  # noqa: E402,F401  (imported before the baseline, like a worker)
from ambassade.watch.cycle import run_cycle  # noqa: E402
from ambassade.watch.models import Feed  # noqa: E402

batch, cycles, watched = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ids = list(Feed.objects.order_by("id").values_list("id", flat=True)[:watched])
Feed.objects.update(next_check_at=timezone.now() + timezone.timedelta(days=1))
gc.collect()
baseline = rss_kib()
after = []
for _ in range(cycles):
    Feed.objects.filter(id__in=ids).update(next_check_at=timezone.now() - timezone.timedelta(seconds=1))
    report = run_cycle(batch)
    gc.collect()
    after.append(rss_kib())
print(json.dumps({"baseline_kib": baseline, "after_kib": after, "blogs": len(ids),
                  "checked": report.checked}))
