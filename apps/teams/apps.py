from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "apps.teams"
    verbose_name = "Teams and members"
