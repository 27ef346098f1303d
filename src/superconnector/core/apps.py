from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "superconnector.core"
    label = "core"
    verbose_name = "Superconnector"

    def ready(self) -> None:
        # Connects the sign-in time stamp that SessionLifetimeMiddleware reads, and
        # registers the deployment checks.
        from superconnector.core import checks, middleware  # noqa: F401
