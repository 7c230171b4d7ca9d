from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = "Practice"

    def ready(self):
        from . import checks, signals, spreadsheets  # noqa: F401 (checks registers itself)

        signals.connect()
        spreadsheets.install()
