"""`ambassade rank --operation ID [--limit N] [--json]`: the ranked blogs for a brief, with their reasons."""

import json

from django.core.management.base import BaseCommand, CommandError

from ambassade.campaigns.models import Operation
from ambassade.targeting.candidates import EXCLUSION_LABELS, shortlist
from ambassade.targeting.rank import Weights
from ambassade.targeting.refresh import refresh_profiles


class Command(BaseCommand):
    help = "Classe les blogs de l'organisation pour le brief d'une opération, avec le détail de chaque score."

    def add_arguments(self, parser):
        parser.add_argument("--operation", type=int, required=True)
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--sans-contact", action="store_true",
                            help="classer aussi les blogs pour lesquels personne n'est encore connu")
        for name in Weights.FIELDS:
            parser.add_argument(f"--{name}", type=float, default=None, help=f"poids « {name} »")

    def handle(self, *args, **options):
        try:
            operation = Operation.objects.get(pk=options["operation"])
        except Operation.DoesNotExist:
            raise CommandError(f"Aucune opération n° {options['operation']}.") from None
        if options["limit"] < 1:
            raise CommandError("--limit doit être au moins 1.")
        refresh_profiles()
        weights = Weights(**{n: options[n] for n in Weights.FIELDS if options[n] is not None})
        result = shortlist(operation, weights, options["limit"], include_without_contact=options["sans_contact"])
        if options["json"]:
            payload = {"operation": operation.pk, "eligible": result.eligible, "excluded": result.excluded,
                       "excluded_blogs": result.excluded_json(),
                       "brief": {"topics": list(result.brief.topics), "terms": result.brief.terms},
                       "weights": weights.__dict__, "candidates": [p.as_json() for p in result.proposals]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{operation} : {result.eligible} blogs éligibles ; écartés : "
                          + (", ".join(f"{k} {v}" for k, v in result.excluded.items()) or "aucun"))
        for reason, blogs in result.excluded_blogs.items():
            self.stdout.write(f"   {EXCLUSION_LABELS[reason]} : " + ", ".join(b.name for b in blogs))
        for position, proposal in enumerate(result.proposals, 1):
            self.stdout.write(f"{position:>2}. {proposal.candidate.score:+.3f}  {proposal.blog.name} — {proposal.sentence}")
            for warning in proposal.warnings:
                self.stdout.write(f"      ⚠ {warning}")
