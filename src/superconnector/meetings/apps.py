from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "superconnector.meetings"
    label = "meetings"
    verbose_name = "Meetings"
