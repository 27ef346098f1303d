import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from superconnector.engine.text import normalise, tokenize

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "superconnector.settings")
application = get_wsgi_application()


def _warm_up_text() -> None:
    """Build jieba's Chinese dictionary and OpenCC's tables now, as the server starts, not
    in the first Chinese directory search each worker serves (1.5 s on a free core, several
    seconds on a busy one, during which that worker answers nobody else). Under
    `gunicorn --preload` the master does it once for all its workers."""

    tokenize(normalise("預熱 warm-up"))


if not settings.DEBUG:  # development servers reload often: they keep the lazy start
    _warm_up_text()
