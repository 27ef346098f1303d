from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "superconnector.core"
    label = "core"
    verbose_name = "Superconnector"
