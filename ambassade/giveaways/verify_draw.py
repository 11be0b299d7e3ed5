#!/usr/bin/env python3
"""Check a giveaway draw from its certificate, with nothing but Python's standard library.

    python verify_draw.py CERTIFICATE.json      (or: ambassade verify_draw CERTIFICATE.json)

This file is both the draw's reference implementation (Ambassade draws with these very functions)
and a standalone checker anyone can copy. The exact encoding, byte for byte:

- secret: 32 random bytes, published as 64 lower-case hex characters once the draw is made;
- commitment = SHA-256(secret bytes), hex; published when the giveaway is created;
- the frozen list: the certificate's "entries", each {"code", "initials", "at", "status", "rule"} ("at":
  when the entry was posted, Paris time, "YYYY-MM-DD HH:MM"; absent reads as ""), sorted by code; its bytes are the UTF-8 of json.dumps(list, ensure_ascii=False, sort_keys=True,
  separators=(",", ":")); list hash = SHA-256 of those bytes, hex; published at the closing time;
- seed = SHA-256(secret bytes ‖ list hash's 32 raw bytes), hex;
- each valid entry's ticket = HMAC-SHA-256(key = seed's 32 raw bytes, message = the entry's code in
  UTF-8), hex; winners = the first N valid entries by ticket (then by code), N = "winners_count".
"""

import hashlib
import hmac
import json
import sys

FORMAT = "ambassade-draw/1"
VALID = "valid"


def commitment_of(secret_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(secret_hex)).hexdigest()


def canonical_entries(entries: list[dict]) -> bytes:
    rows = sorted(({"code": str(e["code"]), "initials": str(e["initials"]), "at": str(e.get("at") or ""),
                    "status": str(e["status"]), "rule": str(e.get("rule") or "")} for e in entries),
                  key=lambda e: e["code"])
    return json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def list_hash_of(entries: list[dict]) -> str:
    return hashlib.sha256(canonical_entries(entries)).hexdigest()


def seed_of(secret_hex: str, list_hash_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(secret_hex) + bytes.fromhex(list_hash_hex)).hexdigest()


def ticket(seed_hex: str, code: str) -> str:
    return hmac.new(bytes.fromhex(seed_hex), str(code).encode("utf-8"), hashlib.sha256).hexdigest()


def winners_of(seed_hex: str, entries: list[dict], count: int) -> list[str]:
    valid = [str(e["code"]) for e in entries if e["status"] == VALID]
    return sorted(valid, key=lambda code: (ticket(seed_hex, code), code))[:max(0, count)]


def problems(certificate: dict) -> list[str]:
    """What does not hold in this certificate; an empty list means the draw checks out."""
    try:
        secret, entries = certificate["secret"], certificate["entries"]
        if certificate.get("format") != FORMAT:
            return [f"format inconnu : {certificate.get('format')!r} (attendu {FORMAT})"]
        found = []
        if commitment_of(secret) != certificate["commitment"]:
            found.append("le secret révélé ne correspond pas à l'engagement publié à la création")
        list_hash = list_hash_of(entries)
        if list_hash != certificate["list_hash"]:
            found.append("la liste des participations ne correspond pas à l'empreinte publiée à la clôture")
        codes = [str(e["code"]) for e in entries]
        if len(set(codes)) != len(codes):
            found.append("deux participations portent le même code")
        seed = seed_of(secret, certificate["list_hash"])
        if seed != certificate["seed"]:
            found.append("la graine ne découle pas du secret et de l'empreinte de la liste")
        expected = winners_of(seed, entries, int(certificate["winners_count"]))
        if expected != [str(w) for w in certificate["winners"]]:
            found.append(f"les gagnants recalculés sont {expected}, le certificat annonce {certificate['winners']}")
        return found
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return [f"certificat illisible : {type(error).__name__}: {error}"]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage : verify_draw.py CERTIFICAT.json", file=sys.stderr)
        return 2
    try:
        with open(argv[0], encoding="utf-8") as handle:
            certificate = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"impossible de lire {argv[0]} : {error}", file=sys.stderr)
        return 2
    if not isinstance(certificate, dict):
        print("certificat illisible : un objet JSON est attendu", file=sys.stderr)
        return 1
    found = problems(certificate)
    if found:
        print("Le tirage NE se vérifie PAS :")
        for problem in found:
            print(f"  - {problem}")
        return 1
    print(f"Le tirage se vérifie : engagement, liste ({len(certificate['entries'])} participations), graine et "
          f"gagnants ({', '.join(certificate['winners']) or 'aucun'}) concordent. Mode : {certificate.get('mode')}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
