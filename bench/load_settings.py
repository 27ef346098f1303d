"""Settings for `bench/load.py --conn-max-age N`: the production settings, plus persistent
database connections kept N seconds (with a health check before reuse).

A what-if, to measure a change to superconnector/settings.py before making it: without the
option the benchmark serves the production settings exactly as they are.
"""

import os

from superconnector.settings import *  # noqa: F403
from superconnector.settings import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["SUPERCONNECTOR_LOAD_CONN_MAX_AGE"])
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
