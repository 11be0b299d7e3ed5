from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from ambassade.accounts.models import Organisation
from ambassade.imports.plan import apply_plan, build_plan
from ambassade.imports.readers import HEADER_ALIASES, UnreadableFile, read_rows
from ambassade.lib.french import number


def _columns() -> str:
    """The accepted columns, each with the headers read as it (French or English), for --help."""
    return " ; ".join(f"{field} ({', '.join(a for a in aliases if a != field)})" if len(aliases) > 1 else field
                      for field, aliases in HEADER_ALIASES.items())


class Command(BaseCommand):
    help = (
        "Importe des blogs et blogueurs depuis un fichier CSV, XLSX ou OPML. "
        "Affiche d'abord l'aperçu ; rien n'est écrit si une ligne est en erreur, sauf avec --skip-invalid. "
        "Colonnes reconnues (la seule obligatoire : l'adresse du blog) : " + _columns() + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", help="slug de l'organisation (facultatif s'il n'y en a qu'une)")
        parser.add_argument("--dry-run", action="store_true", help="aperçu seulement, rien n'est écrit")
        parser.add_argument("--skip-invalid", action="store_true", help="importer les lignes valides, ignorer les autres")

    def handle(self, *args, **options):
        console = Console(file=self.stdout._out, highlight=False)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise CommandError(f"Fichier trop volumineux ({number(path.stat().st_size)} octets).")
        organisation = self._organisation(options["org"])
        try:
            rows = read_rows(path.name, path.read_bytes())
        except UnreadableFile as error:
            raise CommandError(str(error)) from None

        with self._progress(console) as progress:
            checking = progress.add_task("Vérification", total=len(rows))
            plan = build_plan(organisation, path.name, rows,
                              progress=lambda n: progress.update(checking, completed=n))

        summary = plan.summary()
        console.print(
            f"{summary['rows']} lignes : {summary['blogs_created']} blogs nouveaux, "
            f"{summary['blogs_merged']} déjà connus, {summary['bloggers_created']} contacts nouveaux, "
            f"{summary['errors']} en erreur."
        )
        if plan.errors:
            table = Table("Ligne", "Problème", title="Lignes en erreur")
            for row in plan.errors:
                table.add_row(str(row.line), " ; ".join(row.errors))
            console.print(table)
        if options["dry_run"]:
            console.print("Aperçu seulement : rien n'a été écrit.")
            return
        if plan.errors and not options["skip_invalid"]:
            raise CommandError(
                "Rien n'a été importé : corrigez les lignes en erreur, ou relancez avec --skip-invalid."
            )
        with self._progress(console) as progress:
            writing = progress.add_task("Import", total=len(plan.valid))
            result = apply_plan(organisation, plan, skip_invalid=options["skip_invalid"],
                                progress=lambda n: progress.update(writing, completed=n))
        console.print(f"Import terminé : {result['blogs_created']} blogs créés, "
                      f"{result['blogs_merged']} fusionnés, {result['bloggers_created']} contacts ajoutés.")

    def _organisation(self, slug):
        if slug:
            try:
                return Organisation.objects.get(slug=slug)
            except Organisation.DoesNotExist:
                raise CommandError(f"Organisation inconnue : {slug}") from None
        organisations = list(Organisation.objects.all()[:2])
        if len(organisations) != 1:
            raise CommandError("Précisez l'organisation avec --org SLUG.")
        return organisations[0]

    @staticmethod
    def _progress(console):
        return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        console=console, transient=False)
