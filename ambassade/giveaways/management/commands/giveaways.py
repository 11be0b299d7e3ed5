from django.core.management.base import BaseCommand

from ambassade.giveaways.collect import collect
from ambassade.giveaways.services import close_due, erase_due


class Command(BaseCommand):
    help = ("The giveaways' rules, once: read the due comment sources, draw the giveaways past their closing "
            "time, erase the winners' data past its time (--erase-only: only the last, --dry-run: say it).")

    def add_arguments(self, parser):
        parser.add_argument("--erase-only", action="store_true")
        parser.add_argument("--dry-run", action="store_true", help="with --erase-only: count, erase nothing")

    def handle(self, *args, **options):
        if not options["erase_only"]:
            report = collect()
            self.stdout.write(f"commentaires : {report['sources']} sources lues, {report['new']} nouvelles "
                              f"participations, {report['requests']} requêtes, {report['errors']} erreurs")
            self.stdout.write(f"tirages : {close_due()['drawn']}")
        erased = erase_due(dry_run=options["dry_run"])
        verb = "à effacer" if options["dry_run"] else "effacés"
        self.stdout.write(f"données {verb} : {erased['winners']} gagnants, {erased['entries']} participations")
