from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from ambassade.watch.labelled import evaluate, scores, topic_accuracy
from ambassade.watch.topic_samples import TOPIC_SAMPLES, sample_accuracy


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
        for label, samples in (("écrits à la main, servis au réglage", TOPIC_SAMPLES), ("écrits à la main, jamais réglés", None)):
            count, right, in_top3 = sample_accuracy(samples)
            console.print(f"Thèmes sur {count} débuts de billets {label} : premier thème juste "
                          f"{100 * right / count:.0f} %, dans les trois premiers {100 * in_top3 / count:.0f} %")
        failed = [o for o in outcomes if o.failures]
        if options["failures"] or failed:
            for outcome in failed:
                console.print(f"[red]{outcome.case.id}[/red] : {' ; '.join(outcome.failures)}")
