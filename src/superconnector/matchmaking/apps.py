from django.apps import AppConfig


class MatchmakingConfig(AppConfig):
    name = "superconnector.matchmaking"
    label = "matchmaking"
    verbose_name = "Matchmaking"
