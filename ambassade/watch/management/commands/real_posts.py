from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ambassade.evaluation import real_posts


class Command(BaseCommand):
    help = ("Le jeu de billets réels étiquetés à la main : --import DOSSIER reprend les étiquettes des "
            "étiqueteurs et reconstruit le cache d'extraits (ignoré par git) ; sans option, résume le jeu.")

    def add_arguments(self, parser):
        parser.add_argument("--import", dest="source", metavar="DOSSIER",
                            help="dossier des fichiers *.jsonl (étiquettes) et *.cache.jsonl (extraits)")
        parser.add_argument("--queries", action="store_true",
                            help="les recherches à relancer pour retrouver les extraits absents du cache")

    def handle(self, *args, **options):
        write = self.stdout.write
        if options["source"]:
            source = Path(options["source"])
            if not source.is_dir():
                raise CommandError(f"Dossier introuvable : {source}")
            rows, excerpts = real_posts.import_labels(source, real_posts.load_set(),
                                                      real_posts.load_excerpts() or {})
            if not rows:
                raise CommandError(f"Aucune étiquette (*.jsonl) dans {source}")
            cache = real_posts.write_set(rows, excerpts)
            write(f"{len(rows)} billets étiquetés → {real_posts.DATA}")
            write(f"{sum(r['url'] in excerpts for r in rows)} extraits → {cache} (ignoré par git)")
        rows = real_posts.load_set()
        parts = real_posts.split(rows)
        write(f"Jeu réel : {len(rows)} billets, réglage {len(parts['tuning'])}, réservés {len(parts['held_out'])}")
        for key in ("disclosure", "giveaway", "topic"):
            counts = {}
            for row in rows:
                counts[row[key]] = counts.get(row[key], 0) + 1
            write(f"  {key} : " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])))
        if options["queries"]:
            missing = real_posts.missing_queries(rows, real_posts.load_excerpts() or {})
            for query, urls in sorted(missing.items()):
                write(f"{query or '(requête inconnue)'}\t{len(urls)}")
                for url in urls:
                    write(f"    {url}")
            return
        if real_posts.load_excerpts() is None:
            write(f"Cache d'extraits absent ({real_posts.cache_path()}) : ambassade real_posts --import DOSSIER")
