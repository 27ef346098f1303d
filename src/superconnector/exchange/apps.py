from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "superconnector.exchange"
    label = "exchange"
    verbose_name = "Exchange"
