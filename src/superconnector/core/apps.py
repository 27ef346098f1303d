from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "superconnector.core"
    label = "core"
    verbose_name = "Superconnector"

    def ready(self) -> None:
        # Connects the sign-in time stamp that SessionLifetimeMiddleware reads, and
        # registers the deployment checks.
        # The login throttle's signal receivers, too.
        from superconnector.core import backends, checks, middleware  # noqa: F401, PLC0415 (it imports models: the app registry is ready only in ready())
