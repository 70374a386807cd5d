"""PostgreSQL triggers that make frozen baselines and observations immutable even to raw SQL.

Baselines: every UPDATE and DELETE is rejected. Observations: DELETE is rejected, and an
UPDATE is allowed only when it supersedes a current row (is_current true → false with
superseded_at set) and leaves every other column as it was. SQLite has no such triggers;
there the model and queryset refuse.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION metrics_baseline_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'metrics_baseline rows are frozen: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER metrics_baseline_immutable
    BEFORE UPDATE OR DELETE ON metrics_baseline
    FOR EACH ROW EXECUTE FUNCTION metrics_baseline_immutable();

CREATE OR REPLACE FUNCTION metrics_observation_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND OLD.is_current AND NOT NEW.is_current AND NEW.superseded_at IS NOT NULL
        AND (to_jsonb(NEW) - 'is_current' - 'superseded_at')
            = (to_jsonb(OLD) - 'is_current' - 'superseded_at')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'metrics_observation is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER metrics_observation_append_only
    BEFORE UPDATE OR DELETE ON metrics_observation
    FOR EACH ROW EXECUTE FUNCTION metrics_observation_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS metrics_observation_append_only ON metrics_observation;
DROP FUNCTION IF EXISTS metrics_observation_append_only();
DROP TRIGGER IF EXISTS metrics_baseline_immutable ON metrics_baseline;
DROP FUNCTION IF EXISTS metrics_baseline_immutable();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # A bare cursor: no parameters, so the '%' of RAISE stays literal.
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("metrics", "0002_import_job")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
