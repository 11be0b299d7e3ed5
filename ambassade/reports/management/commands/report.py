"""`ambassade report OPERATION --format pdf|xlsx|csv|html -o FILE`: the client report as a file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ambassade.campaigns.models import Operation
from ambassade.lib.french import number
from ambassade.reports.data import operation_report
from ambassade.reports.exports import FORMATS, ExportUnavailable, render


class Command(BaseCommand):
    help = "Écrit le compte rendu client d'une opération (PDF, XLSX, CSV ou HTML)."

    def add_arguments(self, parser):
        parser.add_argument("operation", type=int, help="numéro de l'opération")
        parser.add_argument("--format", choices=sorted(FORMATS), default="pdf")
        parser.add_argument("-o", "--output", required=True, help="fichier à écrire")

    def handle(self, *args, **options):
        operation = Operation.objects.filter(pk=options["operation"]).select_related("client", "organisation").first()
        if operation is None:
            raise CommandError(f"Aucune opération n° {options['operation']}.")
        try:
            data = render(operation_report(operation), options["format"])
        except ExportUnavailable as error:
            raise CommandError(f"Export impossible : {error}") from None
        path = Path(options["output"])
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Impossible d'écrire {path} : {error.strerror}") from None
        self.stdout.write(f"{path} : {number(len(data))} octets ({options['format']}).")
