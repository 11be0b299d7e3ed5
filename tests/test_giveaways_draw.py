"""The draw is a function of its inputs alone, and the checker notices any change to them."""

import secrets

from hypothesis import given, settings
from hypothesis import strategies as st

from ambassade.giveaways import verify_draw

codes = st.text(alphabet="0123456789ABCDEF", min_size=8, max_size=8)
entry = st.fixed_dictionaries({
    "code": codes, "initials": st.text(max_size=6), "at": st.text(max_size=16),
    "status": st.sampled_from(["valid", "excluded"]),
    "rule": st.sampled_from(["", "late", "author", "duplicate", "links"]),
})
entries = st.lists(entry, min_size=1, max_size=40, unique_by=lambda e: e["code"])
secret = st.binary(min_size=32, max_size=32).map(bytes.hex)


def certificate(secret_hex: str, rows: list[dict], n: int) -> dict:
    list_hash = verify_draw.list_hash_of(rows)
    seed = verify_draw.seed_of(secret_hex, list_hash)
    return {"format": verify_draw.FORMAT, "commitment": verify_draw.commitment_of(secret_hex), "secret": secret_hex,
            "list_hash": list_hash, "entries": rows, "seed": seed, "winners_count": n,
            "winners": verify_draw.winners_of(seed, rows, n), "mode": "commit-reveal (no public beacon reachable)"}


@settings(max_examples=150, deadline=None)
@given(secret, entries, st.integers(min_value=1, max_value=5), st.randoms(use_true_random=False))
def test_the_draw_depends_only_on_its_inputs(secret_hex, rows, n, rng):
    shuffled = list(rows)
    rng.shuffle(shuffled)  # the order the list is given in does not matter: it is sorted by code
    assert certificate(secret_hex, rows, n) == {**certificate(secret_hex, shuffled, n), "entries": rows}
    cert = certificate(secret_hex, rows, n)
    assert verify_draw.problems(cert) == []
    valid = [e["code"] for e in rows if e["status"] == "valid"]
    assert len(cert["winners"]) == min(n, len(valid)) and set(cert["winners"]) <= set(valid)


@settings(max_examples=150, deadline=None)
@given(secret, entries, st.integers(min_value=1, max_value=5), st.data())
def test_any_change_to_the_list_or_the_secret_makes_the_check_disagree(secret_hex, rows, n, data):
    cert = certificate(secret_hex, rows, n)
    i = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    change = data.draw(st.sampled_from(["status", "rule", "initials", "at", "drop", "add", "code", "secret"]))
    changed = [dict(e) for e in rows]
    if change == "status":
        changed[i]["status"] = "excluded" if changed[i]["status"] == "valid" else "valid"
    elif change == "rule":
        changed[i]["rule"] += "x"
    elif change == "initials":
        changed[i]["initials"] += "Z"
    elif change == "at":
        changed[i]["at"] += "1"
    elif change == "drop":
        del changed[i]
    elif change == "add":
        changed.append({"code": "NEWCODE!", "initials": "A.", "status": "valid", "rule": ""})
    elif change == "code":
        changed[i]["code"] = changed[i]["code"][::-1] + "0"
    forged = {**cert, "entries": changed}
    if change == "secret":
        forged["secret"] = data.draw(secret.filter(lambda s: s != secret_hex))
    assert verify_draw.problems(forged), change


def test_the_checker_refuses_a_certificate_it_cannot_read():
    assert verify_draw.problems({"format": verify_draw.FORMAT}) != []
    assert verify_draw.problems({**certificate(secrets.token_hex(32), [], 1), "secret": "pas hexadécimal"}) != []
