"""Imports: preview first, each bad row reported by line, duplicates merged, all or nothing."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from ambassade.blogs.models import Blog, Blogger, BloggerEmail
from ambassade.imports.models import ImportJob, ImportStatus
from ambassade.imports.plan import apply_plan, build_plan
from ambassade.imports.readers import UnreadableFile, read_rows

pytestmark = pytest.mark.django_db

GOOD_CSV = """url;nom du blog;plateforme;prénom;nom;email;thèmes;thèmes refusés
https://www.gouters-de-julie.example/;Les goûters de Julie;wordpress;Julie;Martin;julie@gouters.example;cuisine, famille;grossesse
http://gouters-de-julie.example;Les goûters de Julie (bis);;;;;;
carnets-de-lea.example;Les carnets de Léa;blogger;Léa;;LEA@Carnets.example;voyage;
"""

BAD_CSV = """url,nom du blog,prénom,email
https://ok-blog.example/,OK,Anne,anne@ok-blog.example
,Sans adresse,Paul,paul@example.org
https://bad-mail.example/,Mail cassé,Zoé,zoe-at-example
ftp://weird.example/,Protocole,Max,max@weird.example
"""


def test_it_merges_duplicate_urls_and_emails_and_keeps_the_first_spelling(world):
    rows = read_rows("blogs.csv", GOOD_CSV.encode("utf-8"))
    plan = build_plan(world.org_a, "blogs.csv", rows)
    assert plan.errors == []
    assert [r.blog_action for r in plan.rows] == ["create", "merge", "create"]
    apply_plan(world.org_a, plan)
    julie = Blog.objects.get(organisation=world.org_a, url_key="gouters-de-julie.example")
    assert julie.name == "Les goûters de Julie"  # a merge never overwrites what we knew
    blogger = Blogger.objects.get(emails__address_key="julie@gouters.example")
    assert blogger.topics_never == ["grossesse"]
    assert "importé du fichier blogs.csv" in blogger.source
    assert BloggerEmail.objects.filter(address_key="lea@carnets.example").exists()
    # Importing the same file again creates nothing new.
    again = build_plan(world.org_a, "blogs.csv", read_rows("blogs.csv", GOOD_CSV.encode()))
    assert {r.blog_action for r in again.rows} == {"merge"}
    assert again.summary()["bloggers_created"] == 0


def test_it_reports_each_bad_row_with_its_line_and_imports_nothing(world):
    before = Blog.objects.count()
    plan = build_plan(world.org_a, "bad.csv", read_rows("bad.csv", BAD_CSV.encode()))
    errors = {r.line: " ".join(r.errors) for r in plan.errors}
    assert set(errors) == {3, 4, 5}
    assert "adresse du blog manquante" in errors[3]
    assert "adresse e-mail invalide : zoe-at-example" in errors[4]
    assert "invalide" in errors[5]
    with pytest.raises(ValueError):
        apply_plan(world.org_a, plan)
    assert Blog.objects.count() == before
    result = apply_plan(world.org_a, plan, skip_invalid=True)
    assert result["blogs_created"] == 1 and Blog.objects.count() == before + 1


def test_it_refuses_an_email_already_attached_to_another_blog(world):
    csv = "url,email\nhttps://autre-blog.example/,lea@cuisine-de-lea.example\n"
    plan = build_plan(world.org_a, "x.csv", read_rows("x.csv", csv.encode()))
    assert "déjà celle d'un autre blog" in plan.errors[0].errors[0]


def test_it_reads_windows_1252_csv_from_french_excel(world):
    data = "url;nom du blog;prénom;email\nhttps://eclair.example/;L'éclair de Cécile;Cécile;cecile@eclair.example\n"
    rows = read_rows("export.csv", data.encode("cp1252"))
    assert rows[0].values["first_name"] == "Cécile"
    assert rows[0].values["blog_name"] == "L'éclair de Cécile"


def test_it_reads_xlsx_with_the_spreadsheet_line_numbers(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Adresse du blog", "Prénom", "E-mail"])
    sheet.append(["https://tricot.example/", "Agathe", "agathe@tricot.example"])
    sheet.append([None, None, None])
    sheet.append(["https://sans-mail.example/", "Hugo", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = build_plan(world.org_a, "b.xlsx", read_rows("b.xlsx", buffer.getvalue()))
    assert [r.line for r in plan.rows] == [2, 4]
    assert plan.errors[0].line == 4 and "sans adresse e-mail" in plan.errors[0].errors[0]


def test_it_reads_opml_feeds_as_blogs(world):
    opml = b"""<?xml version="1.0"?><opml version="2.0"><body><outline text="Cuisine">
      <outline text="Chez Marion" type="rss" xmlUrl="https://chez-marion.example/feed/" htmlUrl="https://chez-marion.example/"/>
      </outline></body></opml>"""
    plan = build_plan(world.org_a, "feeds.opml", read_rows("feeds.opml", opml))
    apply_plan(world.org_a, plan)
    blog = Blog.objects.get(url_key="chez-marion.example")
    assert blog.feed_url == "https://chez-marion.example/feed/" and blog.name == "Chez Marion"


@pytest.mark.parametrize("name, data, message", [
    ("x.pdf", b"%PDF", "Format non pris en charge"),
    ("x.csv", b"nom,prenom\nA,B\n", "Aucune colonne d'adresse"),
    ("x.xlsx", b"not a zip", "pas un classeur Excel"),
    ("x.opml", b"<opml><body>", "OPML mal formé"),
    ("x.csv", b"", "vide"),
])
def test_it_explains_why_a_file_cannot_be_read(name, data, message):
    with pytest.raises(UnreadableFile, match=message):
        read_rows(name, data)


def test_it_imports_from_the_command_line_only_when_clean(world, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CSV)
    out = io.StringIO()
    with pytest.raises(CommandError, match="Rien n'a été importé"):
        call_command("import", str(bad), "--org", "agence-a", stdout=out)
    assert "zoe-at-example" in out.getvalue()
    assert not Blog.objects.filter(url_key="ok-blog.example").exists()
    call_command("import", str(bad), "--org", "agence-a", "--dry-run", stdout=io.StringIO())
    assert not Blog.objects.filter(url_key="ok-blog.example").exists()
    call_command("import", str(bad), "--org", "agence-a", "--skip-invalid", stdout=out)
    assert Blog.objects.filter(url_key="ok-blog.example").exists()


def test_it_previews_then_imports_from_the_page(client, world):
    client.force_login(world.member)
    upload = io.BytesIO(GOOD_CSV.encode())
    upload.name = "blogs.csv"
    response = client.post(reverse("import_start"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == ImportStatus.PREVIEWED
    assert not Blog.objects.filter(url_key="gouters-de-julie.example").exists()  # the preview writes nothing
    page = client.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert "nouveaux blogs" in page
    client.post(reverse("import_detail", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.result["blogs_created"] == 2
    assert job.processed == job.total == 3
    assert Blog.objects.filter(organisation=world.org_a, url_key="gouters-de-julie.example").exists()
    progress = client.get(reverse("import_progress", args=[job.pk])).content.decode()
    assert "Import terminé" in progress


def test_it_refuses_to_run_a_previewed_import_with_errors_unless_asked(client, world):
    client.force_login(world.member)
    upload = io.BytesIO(BAD_CSV.encode())
    upload.name = "bad.csv"
    client.post(reverse("import_start"), {"file": upload})
    job = ImportJob.objects.get()
    page = client.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert "zoe-at-example" in page
    client.post(reverse("import_detail", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED
    assert not Blog.objects.filter(url_key="ok-blog.example").exists()


def test_it_keeps_imports_inside_the_organisation(client, world):
    client.force_login(world.outsider)
    upload = io.BytesIO(GOOD_CSV.encode())
    upload.name = "blogs.csv"
    client.post(reverse("import_start"), {"file": upload})
    job = ImportJob.objects.get()
    client.force_login(world.member)
    assert client.get(reverse("import_detail", args=[job.pk])).status_code == 404
