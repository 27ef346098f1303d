from django.apps import AppConfig

from superconnector.privacy.holders import register_holder


class ApiConfig(AppConfig):
    name = "superconnector.api"
    label = "api"

    def ready(self) -> None:
        # Tokens act as delegates: privacy's erasure and retention must reach them.
        from superconnector.api.domain.personal_data import ApiTokenHolder  # noqa: PLC0415 (it imports models: the app registry is ready only in ready())

        register_holder(ApiTokenHolder())
