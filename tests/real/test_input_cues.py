"""A plain-text post that starts with "<image>" (how a reader saves a post's picture) is text."""

import json
import subprocess
import sys


def test_a_text_file_starting_with_an_image_marker_is_read_as_text(tmp_path):
    note = tmp_path / "billet.txt"
    note.write_text("<image>\nMon avis sur le Brassé Vanille\nJ'ai acheté le Brassé Vanille de Laiterie Delacour.\n"
                    "Le Brassé Vanille est onctueux.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "ambassade", "analyze", str(note), "--brand", "Laiterie Delacour",
                             "--product", "Brassé Vanille", "--json"], capture_output=True, text=True, timeout=60)
    verdict = json.loads(result.stdout)
    assert verdict["title"] == "Mon avis sur le Brassé Vanille"
    assert verdict["is_coverage"] and verdict["disclosure"]["label"] == "self_bought"
