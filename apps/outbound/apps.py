from django.apps import AppConfig


class OutboundConfig(AppConfig):
    name = "apps.outbound"
    verbose_name = "Outbound mail"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
