from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "superconnector.portal"
    label = "portal"
