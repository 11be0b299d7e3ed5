"""`ambassade followups [--dry-run]`: the follow-ups due today, and those held back with their reason."""

from django.core.management.base import BaseCommand

from ambassade.lib.french import count
from ambassade.outreach.followups import apply, plan


class Command(BaseCommand):
    help = "Relances dues aujourd'hui : ce qui partirait, ce qui est retenu et pourquoi. --dry-run : ne rien écrire."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="montrer sans mettre en file ni enregistrer")

    def handle(self, *args, **options):
        decisions = plan()
        if not decisions:
            self.stdout.write("Aucune relance due aujourd'hui.")
        for d in decisions:
            who = f"{d.placement.operation} · {d.placement.blog}"
            label = d.template.get_kind_display()
            if d.action == "send":
                self.stdout.write(f"→ partirait : {who} — {label} — « {d.draft.rendered.subject} » à {d.draft.address.address}")
            elif d.action == "wait":
                self.stdout.write(f"… {who} — {label} — {d.reason}")
            else:
                self.stdout.write(f"× retenue : {who} — {label} — {d.reason}")
        if options["dry_run"]:
            self.stdout.write("(essai à blanc : rien n'a été mis en file ni enregistré)")
            return
        counts = apply(decisions)
        self.stdout.write(f"{count(counts['queued'], 'relance mise', 'relances mises')} en file d'envoi, "
                          f"{count(counts['held'], 'retenue et enregistrée', 'retenues et enregistrées')}, "
                          f"{counts['waiting']} en attente de la veille.")
