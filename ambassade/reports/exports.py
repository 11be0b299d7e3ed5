"""The report as files: standalone HTML, PDF (WeasyPrint), XLSX (openpyxl) and CSV. The HTML and the
PDF come from the same template and the same SVG chart as the page."""

import csv
import io
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .charts import funnel_svg
from .data import OperationReport

# A spreadsheet evaluates a cell that starts with one of these (OWASP, "CSV injection"): a blog
# name or a post title is text from outside, so it is always written as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """The CSV cell: text a spreadsheet would evaluate gets a leading apostrophe, and stays readable."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def local(moment):
    """Every date and time in a file reads as on the page: the organisation's time zone (Europe/Paris)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def local_day(moment):
    return timezone.localdate(moment) if moment else None


def _append(sheet, row) -> None:
    """openpyxl turns a string that starts with '=' into a formula: we never write one, so none is."""
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "report.css"
FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv; charset=utf-8"}


def context(report: OperationReport) -> dict:
    return {"report": report, "funnel_svg": funnel_svg(report.funnel)}


def render_html(report: OperationReport) -> str:
    return render_to_string("reports/print.html", {**context(report), "css": CSS.read_text()})


class ExportUnavailable(RuntimeError):
    pass


def render_pdf(report: OperationReport) -> bytes:
    try:
        from weasyprint import HTML  # imported here: it loads Pango, which only this export needs
    except OSError as error:  # the system library is missing, not Python's
        raise ExportUnavailable("le PDF demande Pango sur le serveur (Debian : apt install libpango-1.0-0 "
                                f"libpangoft2-1.0-0) : {error}") from None
    return HTML(string=render_html(report)).write_pdf()


def _sheet(book, title: str, header: list[str], rows: list[list]) -> None:
    sheet = book.create_sheet(title)
    _append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        _append(sheet, row)
    for index, name in enumerate(header, 1):
        width = max([len(str(name))] + [len(str(r[index - 1] or "")) for r in rows[:200]])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 10), 60)
    sheet.freeze_panes = "A2"


def render_xlsx(report: OperationReport) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "Synthèse"
    operation = report.operation
    rows = [
        ("Opération", operation.name), ("Client", str(operation.client)), ("Marque", operation.brand),
        ("Établi le", local(report.generated_at)),
        ("Articles publiés", len(report.articles)), ("Produits expédiés", report.units_shipped),
        ("Valeur des produits (€)", float(report.product_cost)), ("Frais de port (€)", float(report.shipping_cost)),
        ("Coût total (€)", float(report.total_cost)),
        ("Coût par article publié (€)", float(report.cost_per_article) if report.cost_per_article is not None else None),
        ("Commentaires (mesurés)", report.comments_measured),
        ("Articles dont les commentaires sont mesurés", report.articles_with_comments),
    ]
    for row in rows:
        _append(summary, row)
    summary.column_dimensions["A"].width, summary.column_dimensions["B"].width = 42, 40
    summary.append(())
    summary.append(("Entonnoir", "Nombre"))
    for _stage, label, count in report.funnel:
        _append(summary, (label, count))
    _sheet(book, "Articles", ["Date", "Blog", "Titre", "Adresse", "Transparence", "Phrase", "Produit offert",
                              "Non signalé", "Concours", "Commentaires"],
           [[local(a.published_at), a.blog, a.title, a.url,
             a.disclosure_label, a.cue, "oui" if a.gifted else "non", "OUI" if a.undisclosed_gift else "",
             "oui" if a.giveaway else "", a.comments] for a in report.articles])
    red = PatternFill("solid", fgColor="FBE3E3")
    for row in book["Articles"].iter_rows(min_row=2):
        if row[7].value == "OUI":
            for cell in row:
                cell.fill = red
    _sheet(book, "Blogs", *_blogger_table(report))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _blogger_table(report: OperationReport) -> tuple[list[str], list[list]]:
    header = ["Blog", "Adresse du blog", "Personne", "Statut", "Pourquoi ce blog", "Résultat", "Relances",
              "Expédié le", "Reçu le"]
    rows = [[b.blog, b.url, b.person, b.status_label, b.selected_because, b.outcome, b.followups,
             local_day(b.shipped_at), local_day(b.received_at)]
            for b in report.bloggers]
    return header, rows


def render_csv(report: OperationReport) -> str:
    """One line per blog; semicolons and a BOM, so that French Excel opens it as it is."""
    header, rows = _blogger_table(report)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else inert(v) for v in row])
    return out.getvalue()


def render(report: OperationReport, fmt: str) -> bytes:
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "xlsx":
        return render_xlsx(report)
    if fmt == "csv":
        return render_csv(report).encode("utf-8")
    if fmt == "html":
        return render_html(report).encode("utf-8")
    raise ValueError(f"format inconnu : {fmt} (pdf, xlsx, csv ou html)")
