from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "superconnector.demo"
    label = "demo"
    verbose_name = "Demo"
