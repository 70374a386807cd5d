"""Production settings for the load test, minus one slow step: static files get a manifest but
are not pre-compressed (compressing plotly.js takes minutes on a busy CI machine, and the
scenario fetches pages, not assets)."""

from config.settings import *  # noqa: F403

STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
)

ROOT_URLCONF = "loadtest.urls"  # adds the bare view the capacity run compares with
