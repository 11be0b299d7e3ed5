"""Turn an uploaded file into numbered rows of text, whatever its format and charset.

Each row keeps the line number a person sees in their spreadsheet, so that
an error can say "ligne 14 : adresse e-mail invalide".
"""

import csv
import io
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from ambassade.lib.clean import clean_text

# Spreadsheet headers, French or English, mapped to our field names.
HEADER_ALIASES = {
    "blog_url": ["blog_url", "url", "blog", "site", "adresse_du_blog", "url_du_blog", "site_web", "htmlurl"],
    "blog_name": ["blog_name", "nom_du_blog", "titre", "title", "name", "text"],
    "platform": ["platform", "plateforme"],
    "language": ["language", "langue", "lang"],
    "feed_url": ["feed_url", "flux", "rss", "feed", "xmlurl", "flux_rss"],
    "first_name": ["first_name", "prenom", "firstname"],
    "last_name": ["last_name", "nom", "lastname", "nom_de_famille"],
    "pseudonym": ["pseudonym", "pseudo", "pseudonyme"],
    "email": ["email", "e_mail", "mail", "adresse_e_mail", "courriel", "adresse_email"],
    "email_kind": ["email_kind", "type_d_adresse", "type_adresse", "type_email"],
    "topics_wanted": ["topics_wanted", "themes", "themes_souhaites", "topics", "sujets"],
    "topics_never": ["topics_never", "themes_refuses", "jamais", "never", "exclusions"],
    "legal_basis": ["legal_basis", "base_legale"],
    "source": ["source", "origine", "provenance"],
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}


class _Semicolon(csv.excel):
    delimiter = ";"


class UnreadableFile(ValueError):
    """The file as a whole cannot be read: wrong format, no header, not a spreadsheet."""


@dataclass
class RawRow:
    line: int
    values: dict[str, str] = field(default_factory=dict)


def _header_key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    key = "".join(c if c.isalnum() else "_" for c in folded.lower().strip())
    return "_".join(part for part in key.split("_") if part)


def map_headers(headers: list[str]) -> list[str | None]:
    mapped = [_ALIAS_TO_FIELD.get(_header_key(h)) for h in headers]
    if "blog_url" not in mapped:
        shown = [clean_text(h).strip()[:40] for h in headers if h and h.strip()][:12]
        raise UnreadableFile(
            "Aucune colonne d'adresse de blog trouvée (attendu : « url », « blog_url » "
            "ou « adresse du blog »). En-têtes lus : " + (", ".join(shown) or "(aucun)")
        )
    return mapped


# A file is recognised by what it holds, not by its name: a spreadsheet or a picture
# renamed ".csv" is said to be one, instead of being read as lines of noise.
_SIGNATURES = [
    (b"PK\x03\x04", "une archive ZIP (un classeur Excel .xlsx renommé ? enregistrez-le en .xlsx)"),
    (b"\xd0\xcf\x11\xe0", "un ancien classeur Excel ou document Word (.xls/.doc : enregistrez-le en .xlsx ou .csv)"),
    (b"%PDF", "un document PDF"),
    (b"\x89PNG", "une image PNG"),
    (b"\xff\xd8\xff", "une image JPEG"),
    (b"GIF8", "une image GIF"),
    (b"\x1f\x8b", "une archive gzip"),
    (b"7z\xbc\xaf", "une archive 7-Zip"),
    (b"Rar!", "une archive RAR"),
]


def _refuse_binary(data: bytes, expected: str) -> None:
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            raise UnreadableFile(f"Ce fichier n'est pas un {expected} : c'est {what}.")
    head = data[:8192]
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    if controls > max(8, len(head) // 50):  # a stray NUL in a cell is cleaned; a file full of them is not text
        raise UnreadableFile(f"Ce fichier n'est pas un {expected} : son contenu est binaire.")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; Windows-1252 is what French Excel writes otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "texte Unicode": UTF-16 with its BOM
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_csv(data: bytes) -> list[RawRow]:
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        _refuse_binary(data, "fichier CSV")
    text = clean_text(decode_text(data))
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = _Semicolon if sample.count(";") > sample.count(",") else csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        try:
            headers = next(reader)
        except StopIteration:
            raise UnreadableFile("Le fichier est vide.") from None
        mapped = map_headers(headers)
        rows = []
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            rows.append(RawRow(line, _pair(mapped, values)))
    except csv.Error as error:
        raise UnreadableFile(_csv_problem(reader.line_num, error)) from None
    return rows


def _csv_problem(line: int, error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        limit = csv.field_size_limit() // 1024
        return (f"Ligne {line or 1} : une cellule dépasse {limit} Ko, ce qui n'arrive pas dans une liste de blogs "
                "(une cellule mal fermée par un guillemet ?). Rien n'a été importé.")
    return f"Ligne {line or 1} : CSV illisible ({error}). Rien n'a été importé."


def read_xlsx(data: bytes) -> list[RawRow]:
    from openpyxl import load_workbook

    if not data.startswith(b"PK\x03\x04"):
        _refuse_binary(data, "classeur Excel")
        raise UnreadableFile("Ce fichier n'est pas un classeur Excel (.xlsx) : enregistrez-le en .xlsx ou en .csv.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a corrupt file
        raise UnreadableFile(f"Ce fichier n'est pas un classeur Excel lisible ({error}).") from None
    try:
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        try:
            headers = [str(h or "") for h in next(iterator)]
        except StopIteration:
            raise UnreadableFile("La première feuille du classeur est vide.") from None
        mapped = map_headers(headers)
        rows = []
        offset = 1
        try:
            for offset, values in enumerate(iterator, start=2):
                cells = ["" if v is None else str(v) for v in values]
                if not any(c.strip() for c in cells):
                    continue
                rows.append(RawRow(offset, _pair(mapped, cells)))
        except Exception as error:  # a corrupt sheet part: openpyxl raises many types
            raise UnreadableFile(f"Ligne {offset + 1} : classeur illisible ({type(error).__name__}).") from None
        return rows
    finally:
        workbook.close()


def read_opml(data: bytes) -> list[RawRow]:
    """Each feed outline becomes a blog row; OPML carries no person, so no blogger."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 XML holds NUL bytes by nature
        _refuse_binary(data, "fichier OPML")
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError) as error:
        raise UnreadableFile(f"OPML mal formé : {error}") from None
    if root.tag.lower() != "opml":
        raise UnreadableFile("Ce fichier XML n'est pas un OPML (élément racine <opml> attendu).")
    rows = []
    # ElementTree does not keep line numbers: the outline's rank stands in for it.
    for rank, outline in enumerate(root.iter("outline"), start=1):
        attrs = {k.lower(): v for k, v in outline.attrib.items()}
        feed = attrs.get("xmlurl", "")
        site = attrs.get("htmlurl", "") or feed
        if not feed and not site:
            continue  # a folder
        rows.append(
            RawRow(
                rank,
                {
                    "blog_url": clean_text(site).strip(),
                    "feed_url": clean_text(feed).strip(),
                    "blog_name": clean_text(attrs.get("title") or attrs.get("text", "")).strip(),
                },
            )
        )
    return rows


def _pair(mapped: list[str | None], values: list[str]) -> dict[str, str]:
    row: dict[str, str] = {}
    # A row may be shorter or longer than the header: extra cells are ignored.
    for name, value in zip(mapped, values, strict=False):
        value = clean_text(str(value)).strip() if value is not None else ""
        if name and value and name not in row:
            row[name] = value
    return row


def read_rows(filename: str, data: bytes) -> list[RawRow]:
    lowered = filename.lower()
    if lowered.endswith(".xlsx"):
        return read_xlsx(data)
    if lowered.endswith((".opml", ".xml")):
        return read_opml(data)
    if lowered.endswith((".csv", ".tsv", ".txt")):
        return read_csv(data)
    raise UnreadableFile(
        f"Format non pris en charge : {filename}. Formats acceptés : CSV, XLSX, OPML."
    )
