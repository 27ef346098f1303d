from django.apps import AppConfig

from superconnector.privacy.holders import register_holder


class BackofficeConfig(AppConfig):
    name = "superconnector.backoffice"
    label = "backoffice"

    def ready(self) -> None:
        # Uploaded delegate lists hold people's rows: erasure and retention must reach them.
        from superconnector.backoffice.domain.personal_data import StagedImportHolder  # noqa: PLC0415 (it imports models: the app registry is ready only in ready())

        register_holder(StagedImportHolder())
