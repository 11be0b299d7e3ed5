"""`ambassade targeting_report`: nDCG@20 and precision@20 of the ranking on the farm's 33 briefs."""

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from ambassade.evaluation.targeting import BRIEFS, evaluate
from ambassade.targeting.rank import Weights

BASELINES = {
    "Ambassade (poids par défaut)": Weights(),
    "sans diversité": Weights(diversity=0),
    "pertinence BM25 seule": Weights(relevance=1, topics=0, wanted=0, saturation=0, overexposure=0, reliability=0,
                                     diversity=0),
}


class Command(BaseCommand):
    help = "Évalue le classement sur les blogs de la ferme (vérité terrain) : nDCG@20, précision@20, filtres."

    def add_arguments(self, parser):
        parser.add_argument("--blogs", type=int, default=300)
        parser.add_argument("--seed", type=int, default=11)
        parser.add_argument("--k", type=int, default=20)
        parser.add_argument("--details", action="store_true", help="une ligne par brief")

    def handle(self, *args, **options):
        console = Console(file=self.stdout._out, highlight=False, width=120)
        console.print(f"{len(BRIEFS)} briefs, {options['blogs']} blogs de la ferme (graine {options['seed']}), "
                      f"k = {options['k']}")
        table = Table("Classement", f"nDCG@{options['k']}", f"précision@{options['k']}", "filtres violés",
                      "blogs « sandwich » / liste", "profils distincts / liste")
        reports = {}
        for name, weights in BASELINES.items():
            report = reports[name] = evaluate(options["blogs"], options["seed"], options["k"], weights)
            table.add_row(name, f"{report.mean('ndcg'):.3f}", f"{report.mean('precision'):.3f}",
                          str(report.violations), f"{report.mean('sandwiches'):.2f}", f"{report.mean('profiles'):.1f}")
        console.print(table)
        if options["details"]:
            details = Table("Brief", "thèmes", "nDCG", "précision", "violations")
            for result in next(iter(reports.values())).results:
                details.add_row(result.case.name, ", ".join(result.case.topics), f"{result.ndcg:.2f}",
                                f"{result.precision:.2f}", str(result.violations))
            console.print(details)
