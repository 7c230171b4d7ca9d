#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice.settings.dev")

    from django.core.management import execute_from_command_line

    from practice.settings.env import ConfigurationError

    try:
        execute_from_command_line(sys.argv)
    except ConfigurationError as error:
        # A missing or wrong variable: its name and what to do, not a traceback.
        sys.exit(f"Configuration error: {error}")
