from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "superconnector.privacy"
    label = "privacy"
