"""The suite itself: `make test` runs both passes and fails if either failed, and each
PostgreSQL run has a test database of its own."""

import os
import shutil
import subprocess

import pytest
from django.db import connection

from .conftest import ROOT

FAKE_UV = """#!/bin/sh
# Stands in for uv: logs each call; the SQLite pytest pass fails, everything else succeeds.
echo "${DATABASE_URL:-sqlite} $*" >> "$LOG"
case "$*" in
  *pytest*) [ -n "$DATABASE_URL" ] || exit 1 ;;
esac
exit 0
"""


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_test_runs_postgres_even_after_a_failing_sqlite_pass_and_fails(tmp_path):
    fake = tmp_path / "uv"
    fake.write_text(FAKE_UV)
    fake.chmod(0o755)
    log = tmp_path / "calls.log"
    env = {**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, "LOG": str(log)}
    done = subprocess.run(["make", "-s", "test", f"UV={fake}"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    calls = log.read_text().splitlines()
    assert any(c.startswith("sqlite") and "pytest" in c for c in calls)
    assert any(c.startswith("postgres://") and "pytest" in c for c in calls), calls
    assert done.returncode != 0


def test_each_postgresql_run_has_a_test_database_of_its_own(db):
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass")
    name = connection.settings_dict["NAME"]
    assert name != "test_ambassade" and name.startswith("test_ambassade_")
    assert str(os.getpid()) in name or os.environ.get("AMBASSADE_TEST_RUN", "\0").lower() in name
