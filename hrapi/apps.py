"""The hrapi app: API clients and tokens, the v1 API conventions, SCIM and webhooks."""

from django.apps import AppConfig


class HrapiConfig(AppConfig):
    name = "hrapi"
    verbose_name = "HR integration"

    def ready(self):
        from hrapi import schema  # noqa: F401 - registers the bearer scheme with drf-spectacular
