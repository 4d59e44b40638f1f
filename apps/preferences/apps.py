from django.apps import AppConfig


class PreferencesConfig(AppConfig):
    name = "apps.preferences"
    verbose_name = "Member preferences and unsubscribe"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
