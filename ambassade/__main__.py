"""The `ambassade` console command: Django's manage.py under the project's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ambassade.settings")
    if sys.argv[1:2] == ["demo"]:
        # The demo runs on a laptop with the public development key; its children inherit this.
        os.environ.setdefault("AMBASSADE_ALLOW_DEV_SECRET", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
