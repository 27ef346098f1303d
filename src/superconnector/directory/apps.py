from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "superconnector.directory"
    label = "directory"
    verbose_name = "Directory"
