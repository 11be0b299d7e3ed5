from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from ambassade.watch.labelled import evaluate, scores, topic_accuracy


class Command(BaseCommand):
    help = "Mesure la détection (veille) sur le jeu étiqueté de billets français et affiche les scores."

    def add_arguments(self, parser):
        parser.add_argument("--failures", action="store_true", help="détailler les cas en échec")

    def handle(self, *args, **options):
        console = Console(file=self.stdout._out, highlight=False)
        outcomes = evaluate()
        result = scores(outcomes)
        table = Table("Famille", "Cas", "Réussis", title=f"Jeu étiqueté : {result['passed']}/{result['cases']} cas réussis")
        for family, row in result["families"].items():
            table.add_row(family, str(row["cases"]), str(row["passed"]))
        console.print(table)
        measures = Table("Verdict", "Précision", "Rappel")
        measures.add_row("article sur le produit", *map(str, result["coverage"].values()))
        measures.add_row("concours", *map(str, result["giveaway"].values()))
        for label, values in result["disclosure"].items():
            measures.add_row(f"transparence : {label}", *map(str, values.values()))
        console.print(measures)
        posts, right, in_top3 = topic_accuracy()
        console.print(f"Thèmes (sans modèle, lexique racinisé) sur {posts} billets de la ferme : "
                      f"premier thème juste {100 * right / posts:.1f} %, dans les trois premiers {100 * in_top3 / posts:.1f} %")
        failed = [o for o in outcomes if o.failures]
        if options["failures"] or failed:
            for outcome in failed:
                console.print(f"[red]{outcome.case.id}[/red] : {' ; '.join(outcome.failures)}")
