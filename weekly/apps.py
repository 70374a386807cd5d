from django.apps import AppConfig


class WeeklyConfig(AppConfig):
    name = "weekly"
    verbose_name = "Weekly split"
