from django.apps import AppConfig


class HrapiConfig(AppConfig):
    name = "hrapi"
    verbose_name = "HR integration"
