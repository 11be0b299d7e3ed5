import asyncio

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from ambassade.farm import giveaways
from ambassade.farm.catalog import build_catalog
from ambassade.farm.server import Farm, serve


class Command(BaseCommand):
    help = "Sert la ferme de blogs simulés (loopback uniquement) : un blog par nom d'hôte <slug>.farm.localhost."

    def add_arguments(self, parser):
        parser.add_argument("--blogs", type=int, default=60, help="nombre de blogs (60)")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--port", type=int, default=settings.FARM_PORT)
        parser.add_argument("--publish-every", type=float, default=0, help="publier un billet toutes les N secondes")
        parser.add_argument("--healthy", action="store_true", help="aucun blog en panne (benchmarks)")

    def _grow_demo_articles(self, farm) -> None:
        """The articles the demo's history says were published, so that their links open them."""
        from django.db import DatabaseError

        from ambassade.farm.demo_data import replay_demo_articles

        try:
            replay_demo_articles(farm)
        except DatabaseError:  # no demo database (a farm started alone): nothing to grow
            pass

    def handle(self, *args, **options):
        farm = Farm(build_catalog(options["blogs"], options["seed"]), settings.FARM_DOMAIN)
        if options["healthy"]:
            for blog in farm.blogs.values():
                blog.faults.clear()
        elif options["blogs"] >= 10:
            self._grow_demo_articles(farm)
            giveaways.grow_demo(farm, timezone.localdate())  # the demo's giveaway, with its comments
        self.stdout.write(
            f"Ferme : {options['blogs']} blogs sur http://<blog>.{settings.FARM_DOMAIN}:{options['port']}/ "
            f"(liste : http://{settings.FARM_HOST}:{options['port']}/_farm/blogs)"
        )
        try:
            asyncio.run(serve(farm, settings.FARM_HOST, options["port"], options["publish_every"]))
        except KeyboardInterrupt:
            pass
