"""The coaching app: cycles, their actions, opportunities and cadence reminders."""

from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
