from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "superconnector.events"
    label = "events"
    verbose_name = "Events"
