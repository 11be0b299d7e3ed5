"""`ambassade watch`: the veille loop. `--once`: one full pass here, with a progress bar."""

import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ambassade.scheduler.loop import LoopState, tick
from ambassade.targeting.refresh import refresh_profiles
from ambassade.watch.cycle import ensure_feeds
from ambassade.watch.models import Feed
from ambassade.workflow.articles import veille_pass


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
        state = LoopState(batch_size=options["batch_size"], max_tasks=options["max_tasks"])
        while not self._stopping:
            line = tick(state, monotonic=time.monotonic())
            if line:
                self.stdout.write(line)
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
            report = veille_pass(batch_size, progress=lambda outcome: progress.advance(bar))
        statuses = ", ".join(f"{k} : {v}" for k, v in sorted(report.statuses.items())) or "rien à vérifier"
        console.print(f"{report.checked} blogs vérifiés ({statuses}) ; {report.new_posts} nouveaux billets ; "
                      f"{report.coverages} articles sur des produits suivis.")
        console.print(f"{refresh_profiles()} profils de blogs mis à jour.")
        upcoming = Feed.objects.filter(gone=False).order_by("next_check_at").values_list("next_check_at", flat=True)
        if upcoming.first():
            console.print(f"Prochaine vérification prévue le {timezone.localtime(upcoming.first()):%d/%m/%Y à %H:%M}.")
