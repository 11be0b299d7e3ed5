from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    """What crosses apps; at start-up, it plugs the veille's answers into the outbox."""

    name = "ambassade.workflow"
    verbose_name = "Workflow"

    def ready(self):
        from .veille_answers import plug_veille_into_outbox

        plug_veille_into_outbox()
