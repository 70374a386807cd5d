from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


def _create_role_groups(sender, **kwargs):
    from core.roles import ensure_role_groups

    ensure_role_groups()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        # After the last app migrates, so every permission the groups need exists.
        post_migrate.connect(_create_role_groups, dispatch_uid="core.role_groups")
        # Register every app's tasks in web processes too, so the outbox can publish by name
        # (Celery's autodiscovery otherwise runs only when a worker starts).
        autodiscover_modules("tasks")
        # Logging in counts as activity for the idle timeout (connects its signal receiver).
        from core import middleware  # noqa: F401
