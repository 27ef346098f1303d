from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "superconnector.core"
    label = "core"
    verbose_name = "Superconnector"

    def ready(self) -> None:
        # Connects the sign-in time stamp that SessionLifetimeMiddleware reads.
        from superconnector.core import middleware  # noqa: F401
