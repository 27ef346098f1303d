"""The `superconnector` console script: Django's management entry point with our own commands."""

import os
import sys

from django.core.management import execute_from_command_line

from superconnector.core.config import ConfigError


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "superconnector.settings")

    try:
        execute_from_command_line(argv if argv is not None else sys.argv)
    except ConfigError as exc:
        # A setting is missing or malformed: the message names it; a traceback would bury it.
        sys.stderr.write(f"superconnector: configuration error: {exc}\n")
        raise SystemExit(2) from None
