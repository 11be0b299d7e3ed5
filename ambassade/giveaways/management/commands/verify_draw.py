import json

from django.core.management.base import BaseCommand, CommandError

from ambassade.giveaways import verify_draw


class Command(BaseCommand):
    help = ("Re-computes a giveaway draw from its certificate (JSON): commitment, list hash, seed, winners. "
            "The same check runs standalone: python ambassade/giveaways/verify_draw.py CERT.json")

    def add_arguments(self, parser):
        parser.add_argument("certificate")

    def handle(self, *args, **options):
        try:
            with open(options["certificate"], encoding="utf-8") as handle:
                certificate = json.load(handle)
        except (OSError, ValueError) as error:
            raise CommandError(f"impossible de lire {options['certificate']} : {error}") from None
        found = verify_draw.problems(certificate) if isinstance(certificate, dict) else ["un objet JSON est attendu"]
        if found:
            raise CommandError("Le tirage NE se vérifie PAS :\n" + "\n".join(f"  - {p}" for p in found))
        self.stdout.write(f"Le tirage se vérifie : engagement, liste ({len(certificate['entries'])} participations), "
                          f"graine et gagnants ({', '.join(certificate['winners']) or 'aucun'}) concordent. "
                          f"Mode : {certificate.get('mode')}.")
