"""Validators shared by models, the exchange format and forms."""

import re

from django.core.validators import RegexValidator

KEY_PATTERN = r"^[A-Za-z0-9_.\-]{1,64}$"
KEY_RE = re.compile(KEY_PATTERN)
KEY_HELP = "1-64 characters of letters, digits, '-', '_' and '.'"

validate_key = RegexValidator(KEY_RE, f"Keys are {KEY_HELP}.")
