"""`ambassade gdpr_retention [--dry-run]`: the retention rule (CNIL), with a report of what it did."""

from django.core.management.base import BaseCommand

from ambassade.lib.french import count
from ambassade.portal.retention import retention_pass


class Command(BaseCommand):
    help = ("Durée de conservation : 3 ans après le dernier contact de la personne, une demande d'accord ; "
            "sans réponse un mois plus tard, l'effacement. --dry-run : montrer sans rien faire.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        report = retention_pass(dry_run=options["dry_run"])
        asked, erased = len(report["asked"]), len(report["erased"])
        if options["dry_run"]:
            self.stdout.write(count(asked, "personne serait sollicitée", "personnes seraient sollicitées")
                              + " pour garder ses coordonnées ; "
                              + count(erased, "serait effacée", "seraient effacées") + ", faute de réponse.")
        else:
            self.stdout.write(count(asked, "personne a été sollicitée", "personnes ont été sollicitées")
                              + " pour garder ses coordonnées ; "
                              + count(erased, "a été effacée", "ont été effacées") + ", faute de réponse.")
