"""`ambassade watch`: the veille loop. `--once`: one full pass here, with a progress bar."""

import math
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ambassade.lib.french import count
from ambassade.outreach.tasks import plan_followups, poll_replies, send_due_messages
from ambassade.portal.tasks import apply_retention
from ambassade.targeting.refresh import refresh_profiles
from ambassade.targeting.tasks import recount_blog_profiles, refresh_blog_profiles
from ambassade.watch.cycle import ensure_feeds, run_cycle
from ambassade.watch.models import Feed
from ambassade.watch.tasks import check_due_blogs, purge_post_texts, send_coverage_digest

DIGEST_HOUR = 8  # the CM's daily summary goes out with the first tick after 8:00, local time
FOLLOWUPS_EVERY = 600  # seconds between two passes of the follow-up rules


class Command(BaseCommand):
    help = (
        "Veille des blogs, et la boucle d'Ambassade : confie aux workers de tâches les blogs à surveiller, "
        "les profils à mettre à jour, les boîtes mail à lire, les relances et les mails à envoyer "
        "(arrêt propre sur SIGTERM). --once : un passage complet ici même, avec une barre de progression."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--tick", type=float, default=30.0, help="secondes entre deux tours de la boucle")
        parser.add_argument("--batch-size", type=int, default=settings.WATCH_BATCH_SIZE)
        parser.add_argument("--max-tasks", type=int, default=8, help="lots confiés aux workers par tour, au plus")

    def handle(self, *args, **options):
        if options["once"]:
            return self._once(options["batch_size"])
        self._stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        self.stdout.write(f"Veille : un tour toutes les {options['tick']:g} s (Ctrl-C ou SIGTERM pour arrêter).")
        digest_sent_on = None
        next_followups = 0.0
        while not self._stopping:
            local = timezone.localtime()
            if local.hour >= DIGEST_HOUR and digest_sent_on != local.date():
                send_coverage_digest.enqueue()
                purge_post_texts.enqueue()
                recount_blog_profiles.enqueue()
                apply_retention.enqueue()
                digest_sent_on = local.date()
            ensure_feeds()
            due = Feed.objects.due(timezone.now()).count()
            batches = min(options["max_tasks"], math.ceil(due / options["batch_size"]))
            for _ in range(batches):
                check_due_blogs.enqueue(options["batch_size"])
            if batches:
                self.stdout.write(f"{count(due, 'blog à vérifier', 'blogs à vérifier')} : "
                                  f"{count(batches, 'lot confié', 'lots confiés')} aux workers.")
            # The posts stored by the previous tick's batches, folded into the blogs' profiles (ciblage).
            refresh_blog_profiles.enqueue()
            # Outreach: replies first (they hold follow-ups back), then the rules, then the outbox.
            poll_replies.enqueue()
            if time.monotonic() >= next_followups:
                plan_followups.enqueue()
                next_followups = time.monotonic() + FOLLOWUPS_EVERY
            send_due_messages.enqueue()
            deadline = time.monotonic() + options["tick"]
            while not self._stopping and time.monotonic() < deadline:
                time.sleep(0.2)
        self.stdout.write("Veille arrêtée.")

    def _stop(self, *_):
        self._stopping = True

    def _once(self, batch_size: int) -> None:
        ensure_feeds()
        total = Feed.objects.due(timezone.now()).count()
        console = Console(file=self.stdout._out, highlight=False)
        with Progress(TextColumn("Veille"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console) as progress:
            bar = progress.add_task("veille", total=total)
            report = run_cycle(batch_size, progress=lambda outcome: progress.advance(bar))
        statuses = ", ".join(f"{k} : {v}" for k, v in sorted(report.statuses.items())) or "rien à vérifier"
        console.print(f"{report.checked} blogs vérifiés ({statuses}) ; {report.new_posts} nouveaux billets ; "
                      f"{report.coverages} articles sur des produits suivis.")
        console.print(f"{refresh_profiles()} profils de blogs mis à jour.")
