"""'Exclusions' meant two things (rival brands, topics to avoid) and was read as the first only:
"grossesse" excluded blogs as "working with a competitor". Two fields now; each old entry goes to
the one it reads as."""

import unicodedata

from django.db import migrations, models

# Words that name a topic, not a brand (the refusals' synonyms and the taxonomy, folded).
TOPIC_WORDS = {
    "grossesse", "enceinte", "maternite", "future maman", "allaitement", "peau seche", "peaux seches", "alcool",
    "vin", "biere", "spiritueux", "jeux d'argent", "paris sportifs", "casino", "regime", "regimes", "minceur",
    "perte de poids", "detox", "bebe", "bebes", "tabac", "cigarette", "beaute", "mode", "cuisine", "parentalite",
    "deco", "maison", "voyage", "high-tech", "high tech", "auto", "moto", "lifestyle", "sante", "bien-etre",
    "loisirs", "culture", "enfants", "animaux", "sport", "religion", "politique", "sexualite",
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def split(apps, schema_editor):
    Operation = apps.get_model("campaigns", "Operation")
    for operation in Operation.objects.exclude(exclusions=[]):
        entries = [e for e in operation.exclusions or [] if str(e).strip()]
        operation.topics_avoided = [e for e in entries if _fold(e) in TOPIC_WORDS]
        operation.competitors = [e for e in entries if _fold(e) not in TOPIC_WORDS]
        operation.save(update_fields=["topics_avoided", "competitors"])


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_operation_keywords_operation_language_and_more")]

    operations = [
        migrations.AddField(
            model_name="operation", name="competitors",
            field=models.JSONField(blank=True, default=list, help_text="Un blog qui travaille avec l'une d'elles (opération en cours, billet offert ou sponsorisé récent) est écarté.", verbose_name="marques concurrentes"),
        ),
        migrations.AddField(
            model_name="operation", name="topics_avoided",
            field=models.JSONField(blank=True, default=list, help_text="Un blog qui écrit sur l'un d'eux est écarté (« grossesse » couvre aussi enceinte, maternité…).", verbose_name="thèmes à éviter"),
        ),
        migrations.RunPython(split, migrations.RunPython.noop),
        migrations.RemoveField(model_name="operation", name="exclusions"),
    ]
