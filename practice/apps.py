from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = "Practice"

    def ready(self):
        # checks registers itself on import
        from . import checks, login_throttle, signals, spreadsheets  # noqa: F401

        signals.connect()
        login_throttle.connect()
        spreadsheets.install()
