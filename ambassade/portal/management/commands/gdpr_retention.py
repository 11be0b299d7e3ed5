"""`ambassade gdpr_retention [--dry-run]`: the retention rule (CNIL), with a report of what it did."""

from django.core.management.base import BaseCommand

from ambassade.portal.retention import retention_pass


class Command(BaseCommand):
    help = ("Durée de conservation : 3 ans après le dernier contact de la personne, une demande d'accord ; "
            "sans réponse un mois plus tard, l'effacement. --dry-run : montrer sans rien faire.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        report = retention_pass(dry_run=options["dry_run"])
        verb = "seraient" if options["dry_run"] else "ont été"
        self.stdout.write(f"{len(report['asked'])} personne(s) {verb} sollicitée(s) pour garder leurs coordonnées ; "
                          f"{len(report['erased'])} {verb} effacée(s), faute de réponse.")
