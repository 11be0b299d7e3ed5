from django.core.management.base import BaseCommand
from rich.console import Console
from rich.table import Table

from ambassade.evaluation import real_posts, report
from ambassade.evaluation.labelled import evaluate, scores, topic_accuracy
from ambassade.evaluation.topic_samples import TOPIC_SAMPLES, sample_accuracy


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
        self._real(console)
        failed = [o for o in outcomes if o.failures]
        if options["failures"] or failed:
            for outcome in failed:
                console.print(f"[red]{outcome.case.id}[/red] : {' ; '.join(outcome.failures)}")

    def _real(self, console):
        """The in-house set next to the real posts (tuning part, held-out part), same measures."""
        house = report.in_house_scores()
        real = report.real_scores()
        rows = real_posts.load_set()
        parts = real_posts.split(rows)
        if real is None:
            console.print(f"[yellow]Billets réels : cache d'extraits absent ({real_posts.cache_path()}), "
                          f"{len(rows)} billets étiquetés non mesurés. Le reconstruire : "
                          "ambassade real_posts --import DOSSIER (pages stockées par l'outil de recherche).[/yellow]")
            sets = {"maison": house}
        else:
            sets = {"maison": house, "réels, réglage": real["tuning"], "réels, réservés": real["held_out"]}
        header = {"maison": f"maison ({house['posts']})"}
        if real is not None:
            header["réels, réglage"] = f"réels, réglage ({real['tuning']['posts']})"
            header["réels, réservés"] = f"réels, réservés ({real['held_out']['posts']})"
        table = Table("Mesure", *header.values(),
                      title=f"Jeu maison et billets réels ({len(rows)} billets, réglage {len(parts['tuning'])}, "
                            f"réservés {len(parts['held_out'])})")
        for key, label in report.MEASURES:
            table.add_row(label, *(f"{values[key]:.3f}" for values in sets.values()))
        console.print(table)
        for name, values in sets.items():
            for key, label in (("coverage_matrix", "sujet (attendu ↓, trouvé →)"),
                               ("disclosure_matrix", "transparence (attendu ↓, trouvé →)"),
                               ("giveaway_matrix", "concours (attendu ↓, trouvé →)")):
                found, lines = report.matrix_rows(values[key])
                matrix = Table("", *found, title=f"{name} : {label}")
                for line in lines:
                    matrix.add_row(*line)
                console.print(matrix)
