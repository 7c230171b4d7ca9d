from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo practice: its content (TOML and drawings), the commands that load it and make
    its logins (``prepare_demo``, ``load_demo_content``, ``ensure_demo_users``), and ten years
    of made-up bookings for measuring (``fill_decade``). Nothing here runs unless asked."""

    name = "demo"
    verbose_name = "Demo practice"
