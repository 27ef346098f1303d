from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "superconnector.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        # Whoever is in an event's team sees its delegates' contact details: a second
        # factor guards their sign-in (core/domain/totp.py asks; core may not import us).
        from superconnector.core.domain.totp import register_organiser_role  # noqa: PLC0415 (it imports models: the app registry is ready only in ready())
        from superconnector.events.domain.access import organises_any_event  # noqa: PLC0415 (it imports models: the app registry is ready only in ready())

        register_organiser_role("event-team", organises_any_event)
