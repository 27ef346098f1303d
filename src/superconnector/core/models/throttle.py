from django.db import models


class ThrottleCount(models.Model):
    """One throttle's count in its current window, when the throttles count in the database
    (the default, core/domain/throttle.py).

    A table of its own rather than Django's database cache: the cache stores pickled
    values, which it can only increment by reading and writing back, so parallel requests
    all read the same count. Here one UPDATE adds one and reads the result.
    """

    key = models.CharField(max_length=100, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count} until {self.expires_at:%Y-%m-%d %H:%M}"
