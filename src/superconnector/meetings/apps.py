from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "superconnector.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # Saves that unlist someone close their requests and meetings (see signals.py).
        from superconnector.meetings import signals  # noqa: F401, PLC0415 (it imports models: the app registry is ready only in ready())
