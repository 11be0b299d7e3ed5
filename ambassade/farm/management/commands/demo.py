"""`ambassade demo`: the whole product on a laptop, in one process group.

Starts the blog farm, a task worker and the web server; Ctrl-C (or SIGTERM)
stops all three. Running it again reuses the database.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from ambassade.farm.demo_data import CLIENT_USER, DEMO_PASSWORD, DEMO_USER, load_demo


class Command(BaseCommand):
    help = "Lance la démo : ferme de blogs, worker de tâches et serveur web sur http://127.0.0.1:8000"

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--publish-every", type=float, default=120.0,
                            help="la ferme publie un billet toutes les N secondes (120)")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        load_demo()
        # The demo's farm publishes every few minutes: look at its blogs every minute at most.
        env = {"AMBASSADE_WATCH_MIN_INTERVAL": "60", "AMBASSADE_WATCH_MAX_INTERVAL": "300",
               "AMBASSADE_WATCH_HOST_DELAY_MS": "100",
               # The demo's mails are written to files, one per mail, instead of being sent.
               "AMBASSADE_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
               "AMBASSADE_EMAIL_FILE_PATH": str(settings.DATA_DIR / "mails"),
               **os.environ, "AMBASSADE_FARM_ALLOWED": "1"}
        me = [sys.executable, "-m", "ambassade"]
        commands = {
            "ferme": [*me, "farm", "--publish-every", str(options["publish_every"])],
            # Quiet: the loop enqueues several tasks a tick; their results (and failures) are in the database.
            "worker": [*me, "db_worker", "--verbosity", "0"],
            "veille": [*me, "watch", "--tick", "10"],
            # The WSGI server a deployment uses (docs/deploy.md), not Django's development server.
            "web": [sys.executable, "-m", "gunicorn", "ambassade.wsgi", "--bind", options["addr"], "--workers", "2",
                    "--threads", "4", "--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning"],
        }
        children = {name: subprocess.Popen(cmd, env=env) for name, cmd in commands.items()}
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        host, _, port = options["addr"].rpartition(":")
        if not self._answers(host or "127.0.0.1", int(port), children["web"], lambda: stopping):
            stopping = True
        else:
            self.stdout.write(self.style.SUCCESS(
                f"\nAmbassade tourne sur http://{options['addr']}/\n"
                f"  agence : {DEMO_USER} / {DEMO_PASSWORD}    client (lecture seule) : {CLIENT_USER} / "
                f"{DEMO_PASSWORD}\n"
                f"  ferme de blogs : http://{settings.FARM_HOST}:{settings.FARM_PORT}/_farm/blogs\n"
                "Ctrl-C pour tout arrêter.\n"
            ))
        try:
            while not stopping:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"{name} s'est arrêté (code {child.returncode}) : arrêt de la démo.")
                        stopping = True
                time.sleep(0.3)
        finally:
            for child in children.values():
                if child.poll() is None:
                    child.terminate()
            deadline = time.monotonic() + 10
            for child in children.values():
                try:
                    child.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
            self.stdout.write("Démo arrêtée.")

    @staticmethod
    def _answers(host: str, port: int, web, stopped, timeout: float = 120.0) -> bool:
        """Wait until the application answers a page (not only the port: gunicorn's master listens
        before its workers have loaded Django), so the banner never points at a server still starting."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not stopped() and web.poll() is None:
            try:
                with urllib.request.urlopen(f"http://{host}:{port}/connexion/", timeout=5) as page:
                    if page.status == 200:
                        return True
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        return False
