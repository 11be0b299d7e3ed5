import json
import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ambassade.watch.detect.analyze import analyze, lexicon_for
from ambassade.watch.detect.extract import decode_html, extract_html, extract_text

# A page starts with one of these; a plain-text post saved from a reader may start with
# "<image>" or "<3" and is still text.
_HTML_START = re.compile(rb"\s*<(?:!doctype|html|head|body|meta|article|main|div|p|h1|!--)[\s>/]", re.I)


# What the human output says; --json keeps the stable English keys.
DISCLOSURES = {"gifted": "produit offert", "sponsored": "partenariat rémunéré", "self_bought": "acheté par l'auteur",
               "none": "aucune mention"}
KINDS = {"brand": "marque", "product": "produit", "alias": "alias", "domain": "domaine"}


class Command(BaseCommand):
    help = (
        "Analyse une page HTML ou un fichier texte (le texte est le corps de l'article) : "
        "mentions de la marque, sujet ou mention en passant, mention de cadeau ou de partenariat, concours."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="fichier HTML ou texte, ou adresse http(s)")
        parser.add_argument("--brand", required=True)
        parser.add_argument("--product", action="append", default=[])
        parser.add_argument("--alias", action="append", default=[])
        parser.add_argument("--domain", action="append", default=[])
        parser.add_argument("--json", action="store_true", help="un seul objet JSON sur la sortie standard")

    def handle(self, *args, **options):
        source = options["source"]
        if source.startswith(("http://", "https://")):
            from django.conf import settings

            from ambassade.lib.http import FetchError, fetch_one

            try:
                result = fetch_one(source)
            except FetchError as error:
                hint = ""
                if error.kind == "forbidden" and settings.FARM_DOMAIN in source and not settings.FARM_ALLOWED:
                    hint = (" — c'est une adresse de la ferme de blogs : lancez la commande avec "
                            "AMBASSADE_FARM_ALLOWED=1 pour l'autoriser")
                raise CommandError(f"Impossible de lire {source} : {error}{hint}") from None
            article = extract_html(decode_html(result.body, result.charset), url=source)
        else:
            path = Path(source)
            if not path.is_file():
                raise CommandError(f"Fichier introuvable : {source}")
            data = path.read_bytes()
            looks_html = path.suffix.lower() in (".html", ".htm") or bool(_HTML_START.match(data))
            text = decode_html(data)
            article = extract_html(text) if looks_html else extract_text(text)
        lexicon = lexicon_for(options["brand"], options["product"], options["alias"], options["domain"])
        verdict = analyze(article, lexicon).as_json()
        if options["json"]:
            json.dump(verdict, sys.stdout, ensure_ascii=False)
            sys.stdout.write("\n")
            return
        self._human(verdict)

    def _human(self, v):
        write = self.stdout.write
        write(f"Titre : {v['title'] or '—'}  ·  publié : {v['published'] or 'date inconnue'}")
        write("Article sur le produit" if v["is_coverage"] else
              ("Mention en passant" if v["mentions"] else "Aucune mention"))
        for m in v["mentions"]:
            write(f"  {m['term']} ({KINDS.get(m['kind'], m['kind'])}) ×{m['count']} : {m['snippet']}")
        d, g = v["disclosure"], v["giveaway"]
        write(f"Transparence : {DISCLOSURES.get(d['label'], d['label'])}" + (f" — « {d['cue']} »" if d["cue"] else ""))
        write(f"Concours : {'oui' if g['present'] else 'non'}" + (f" — « {g['cue']} »" if g["cue"] else "")
              + (f", jusqu'au {g['deadline']}" if g["deadline"] else ""))
