from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PortfolioConfig(AppConfig):
    name = "portfolio"

    def ready(self):
        from portfolio.triggers import install_after_migrate

        # Sent once the whole plan has run (see portfolio.triggers for why not a migration).
        post_migrate.connect(
            install_after_migrate, sender=self, dispatch_uid="portfolio_rollup_triggers"
        )
