"""Hostile imports (issue 13, row 7): every reader error is a French message on the
file or on its row, binary files are recognised by their content, and neither the
command line nor the upload page shows a traceback."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ambassade.imports.readers import UnreadableFile, read_rows

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
NOISE = bytes((n * 7919) % 256 for n in range(20_000))  # binary with NULs and quotes


def zipped() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>" * 100)
    return buffer.getvalue()


def huge_cell() -> bytes:
    return ("url;nom\nhttps://lea.example/;" + '"' + "x" * 140_000 + '"\n').encode()


@pytest.mark.parametrize("data, said", [
    (NOISE, "binaire"),
    (PNG, "image PNG"),
    (zipped(), "archive ZIP"),
    (huge_cell(), "Ligne 2 : une cellule dépasse"),
])
def test_row7_a_file_that_is_not_a_csv_is_refused_in_french(data, said):
    with pytest.raises(UnreadableFile) as error:
        read_rows("blogs.csv", data)
    assert said in str(error.value)
    assert "PK" not in str(error.value)


@pytest.mark.parametrize("data", [NOISE, huge_cell(), zipped()])
def test_row7_the_command_says_it_without_a_traceback(world, tmp_path, data):
    path = tmp_path / "blogs.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError):
        call_command("import", str(path), "--org", "agence-a", stdout=io.StringIO())


@pytest.mark.parametrize("data", [NOISE, huge_cell()])
def test_row7_the_upload_page_says_it_instead_of_a_500(client, world, data):
    client.force_login(world.member)
    upload = io.BytesIO(data)
    upload.name = "blogs.csv"
    response = client.post(reverse("import_start"), {"file": upload})
    assert response.status_code == 200
    assert "Ce fichier n&#x27;est pas" in response.content.decode() or "Ligne 2" in response.content.decode()


def test_a_nul_byte_in_a_cell_is_dropped_and_the_row_kept():
    rows = read_rows("blogs.csv", "url;nom_du_blog\nhttps://lea\x00.example/;Léa\x00\n".encode())
    assert rows[0].values == {"blog_url": "https://lea.example/", "blog_name": "Léa"}


def test_excels_unicode_text_is_read_not_refused():
    rows = read_rows("blogs.csv", "url\tnom_du_blog\nhttps://lea.example/\tLéa\n".encode("utf-16"))
    assert rows[0].values == {"blog_url": "https://lea.example/", "blog_name": "Léa"}


def test_an_xlsx_that_is_not_one_is_said_so():
    with pytest.raises(UnreadableFile) as error:
        read_rows("blogs.xlsx", b"url;nom\nhttps://lea.example/;Lea\n")
    assert "classeur Excel" in str(error.value)
