from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "superconnector.api"
    label = "api"
