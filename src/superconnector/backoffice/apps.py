from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "superconnector.backoffice"
    label = "backoffice"
