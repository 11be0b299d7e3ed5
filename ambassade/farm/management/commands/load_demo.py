from django.core.management.base import BaseCommand

from ambassade.farm.demo_data import DEMO_PASSWORD, DEMO_USER, load_demo


class Command(BaseCommand):
    help = "Charge la démo (agence, clients, 60 blogs de la ferme, trois opérations). Sans effet si elle existe."

    def handle(self, *args, **options):
        org = load_demo()
        self.stdout.write(f"Démo prête : {org} — identifiant {DEMO_USER}, mot de passe {DEMO_PASSWORD}")
