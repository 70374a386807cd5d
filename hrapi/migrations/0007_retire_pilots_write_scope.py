"""`pilots:write` granted nothing (machine clients never act on pilots): clients lose it."""

from django.db import migrations

RETIRED = "pilots:write"


def drop_retired_scope(apps, schema_editor):
    ApiClient = apps.get_model("hrapi", "ApiClient")
    for client in ApiClient.objects.all().only("pk", "scopes"):
        if RETIRED in (client.scopes or []):
            client.scopes = [scope for scope in client.scopes if scope != RETIRED]
            client.save(update_fields=["scopes"])


class Migration(migrations.Migration):
    dependencies = [("hrapi", "0006_access_groups_and_scim_profiles")]

    operations = [migrations.RunPython(drop_retired_scope, migrations.RunPython.noop)]
