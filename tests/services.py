"""`python -m tests.services NAME`: is a service the tests need reachable?

Exit 0: yes. Exit 1: no, and the caller skips that run with the reason
printed. Exit 2: no, and we are in CI, where every run is mandatory.
"""

import os
import socket
import sys

SERVICES = {"postgres": ("PostgreSQL", "127.0.0.1", 5432), "redis": ("Redis", "127.0.0.1", 6379)}


def main(name: str) -> int:
    label, host, port = SERVICES[name]
    try:
        socket.create_connection((host, port), timeout=1).close()
        return 0
    except OSError as error:
        reason = f"{label} is not reachable at {host}:{port} ({error})"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        print(f"FAIL: {reason}; CI must run the {label} suite.", file=sys.stderr)
        return 2
    print(f"SKIPPED the {label} run: {reason}.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
