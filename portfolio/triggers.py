"""Database triggers that record which rollup cells a write made stale (`RollupChange`).

Why triggers: a change row written by the database in the writer's own transaction commits
or rolls back with the write, so the refresh can never miss a committed write nor see one
that was rolled back, whatever wrote it (the ORM, bulk ingest's raw SQL, a COPY, psql). The
refresh claims changes with `DELETE … RETURNING`, which takes exactly the committed rows it
sees; a write committing meanwhile leaves its rows for the next refresh. No timestamp or
sequence watermark, so no window where an early-started, late-committed write is skipped.

What is recorded (over-recording only costs refresh time, never correctness):
- observations: the (subject, month) of each current value/efficiency row inserted and of
  each such row superseded; on PostgreSQL a statement-level trigger over the transition
  table, so a 10,000-row ingest writes one DISTINCT insert, not 10,000;
- opportunities and cycles: the (workgroup, month) of found_at, addressed_at and
  adaptation_done_at, before and after the change;
- a pilot's start or end, a workgroup added, moved, re-supervised or removed, a member added
  or removed: every month of the pilot(s) concerned;
- a metric's kind or unit, the organisation's currency: `all` (a full rebuild).
The hourly rate needs nothing: the rollups keep hours apart and convert when read.

Installed after every `migrate` (post_migrate), not by a migration: Django's SQLite schema
editor rebuilds a table to alter it and drops its triggers, so a later migration of any of
these tables would silently remove them. Creating them again each time is idempotent.
"""

OUTCOME_KINDS = "('value', 'efficiency')"

# PostgreSQL: timestamps are bucketed by the session's time zone (UTC for Django); marking
# the months 14 h either side covers a writer in any other time zone.
PG_MONTHS = (
    "CAST(date_trunc('month', {ts} - interval '14 hours') AS date), "
    "CAST(date_trunc('month', {ts} + interval '14 hours') AS date)"
)


def _pg_months(ts: str) -> str:
    return PG_MONTHS.format(ts=ts)


POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION portfolio_rollup_observation_insert() RETURNS trigger AS $$
BEGIN
    INSERT INTO portfolio_rollupchange (kind, key_id, month)
    SELECT DISTINCT n.subject_type, n.subject_id, CAST(date_trunc('month', n.period_start) AS date)
    FROM new_rows n JOIN metrics_metricdefinition md ON md.id = n.metric_id
    WHERE n.is_current AND md.kind IN {OUTCOME_KINDS};
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION portfolio_rollup_observation_update() RETURNS trigger AS $$
BEGIN
    INSERT INTO portfolio_rollupchange (kind, key_id, month)
    SELECT DISTINCT o.subject_type, o.subject_id, CAST(date_trunc('month', o.period_start) AS date)
    FROM old_rows o JOIN metrics_metricdefinition md ON md.id = o.metric_id
    WHERE o.is_current AND md.kind IN {OUTCOME_KINDS};
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE TRIGGER portfolio_rollup_observation_insert
    AFTER INSERT ON metrics_observation REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION portfolio_rollup_observation_insert();
CREATE OR REPLACE TRIGGER portfolio_rollup_observation_update
    AFTER UPDATE ON metrics_observation REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION portfolio_rollup_observation_update();

CREATE OR REPLACE FUNCTION portfolio_rollup_cycle() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.adaptation_done_at IS NOT NULL THEN
        INSERT INTO portfolio_rollupchange (kind, key_id, month)
        SELECT DISTINCT 'workgroup', OLD.workgroup_id, m
        FROM unnest(ARRAY[{_pg_months("OLD.adaptation_done_at")}]) m;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.adaptation_done_at IS NOT NULL THEN
        INSERT INTO portfolio_rollupchange (kind, key_id, month)
        SELECT DISTINCT 'workgroup', NEW.workgroup_id, m
        FROM unnest(ARRAY[{_pg_months("NEW.adaptation_done_at")}]) m;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION portfolio_rollup_opportunity() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO portfolio_rollupchange (kind, key_id, month)
        SELECT DISTINCT 'workgroup', OLD.workgroup_id, m FROM unnest(ARRAY[
            {_pg_months("OLD.found_at")}, {_pg_months("OLD.addressed_at")}]) m
        WHERE m IS NOT NULL;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO portfolio_rollupchange (kind, key_id, month)
        SELECT DISTINCT 'workgroup', NEW.workgroup_id, m FROM unnest(ARRAY[
            {_pg_months("NEW.found_at")}, {_pg_months("NEW.addressed_at")}]) m
        WHERE m IS NOT NULL;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE TRIGGER portfolio_rollup_cycle
    AFTER INSERT OR UPDATE OR DELETE ON coaching_cycle
    FOR EACH ROW EXECUTE FUNCTION portfolio_rollup_cycle();
CREATE OR REPLACE TRIGGER portfolio_rollup_opportunity
    AFTER INSERT OR UPDATE OR DELETE ON coaching_opportunity
    FOR EACH ROW EXECUTE FUNCTION portfolio_rollup_opportunity();

CREATE OR REPLACE FUNCTION portfolio_rollup_pilot_row() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'pilots_pilot' THEN
        IF OLD.started_at IS DISTINCT FROM NEW.started_at
                OR OLD.ended_at IS DISTINCT FROM NEW.ended_at THEN
            INSERT INTO portfolio_rollupchange (kind, key_id) VALUES ('pilot', NEW.id);
        END IF;
    ELSIF TG_TABLE_NAME = 'pilots_workgroup' THEN
        IF TG_OP = 'UPDATE' AND OLD.pilot_id = NEW.pilot_id
                AND OLD.supervisor_id IS NOT DISTINCT FROM NEW.supervisor_id THEN
            RETURN NULL;
        END IF;
        IF TG_OP <> 'INSERT' THEN
            INSERT INTO portfolio_rollupchange (kind, key_id) VALUES ('pilot', OLD.pilot_id);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO portfolio_rollupchange (kind, key_id) VALUES ('pilot', NEW.pilot_id);
        END IF;
    ELSE  -- pilots_workgroupmember: the member's observations start or stop counting
        IF TG_OP <> 'INSERT' THEN
            INSERT INTO portfolio_rollupchange (kind, key_id)
            SELECT 'pilot', w.pilot_id FROM pilots_workgroup w WHERE w.id = OLD.workgroup_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO portfolio_rollupchange (kind, key_id)
            SELECT 'pilot', w.pilot_id FROM pilots_workgroup w WHERE w.id = NEW.workgroup_id;
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE TRIGGER portfolio_rollup_pilot
    AFTER UPDATE ON pilots_pilot
    FOR EACH ROW EXECUTE FUNCTION portfolio_rollup_pilot_row();
CREATE OR REPLACE TRIGGER portfolio_rollup_workgroup
    AFTER INSERT OR UPDATE OR DELETE ON pilots_workgroup
    FOR EACH ROW EXECUTE FUNCTION portfolio_rollup_pilot_row();
CREATE OR REPLACE TRIGGER portfolio_rollup_member
    AFTER INSERT OR UPDATE OR DELETE ON pilots_workgroupmember
    FOR EACH ROW EXECUTE FUNCTION portfolio_rollup_pilot_row();

CREATE OR REPLACE FUNCTION portfolio_rollup_currency() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' OR OLD.currency IS DISTINCT FROM NEW.currency THEN
        INSERT INTO portfolio_rollupchange (kind) VALUES ('all');
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION portfolio_rollup_metric() RETURNS trigger AS $$
BEGIN
    IF OLD.kind IS DISTINCT FROM NEW.kind OR OLD.unit IS DISTINCT FROM NEW.unit THEN
        INSERT INTO portfolio_rollupchange (kind) VALUES ('all');
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE TRIGGER portfolio_rollup_settings
    AFTER INSERT OR UPDATE ON portfolio_organisationsettings
    FOR EACH ROW EXECUTE FUNCTION portfolio_rollup_currency();
CREATE OR REPLACE TRIGGER portfolio_rollup_metric
    AFTER UPDATE ON metrics_metricdefinition
    FOR EACH ROW EXECUTE FUNCTION portfolio_rollup_metric();
"""  # noqa: S608 - built from constants only


def _sqlite_month(ts: str) -> str:
    return f"date({ts}, 'start of month')"


def _sqlite_workgroup_months(table: str, columns: list[str]) -> list[str]:
    statements = []
    for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])):
        body = " ".join(
            "INSERT INTO portfolio_rollupchange (kind, key_id, month) "
            f"SELECT 'workgroup', {row}.workgroup_id, {_sqlite_month(f'{row}.{column}')} "
            f"WHERE {row}.{column} IS NOT NULL;"
            for row in rows
            for column in columns
        )
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS portfolio_rollup_{table}_{event.lower()} "
            f"AFTER {event} ON {table} FOR EACH ROW BEGIN {body} END"
        )
    return statements


def _sqlite_statements() -> list[str]:
    outcome = (
        "EXISTS (SELECT 1 FROM metrics_metricdefinition md WHERE md.id = {row}.metric_id "  # noqa: S608
        f"AND md.kind IN {OUTCOME_KINDS})"
    )
    observation = (
        "INSERT INTO portfolio_rollupchange (kind, key_id, month) VALUES "
        "({row}.subject_type, {row}.subject_id, date({row}.period_start, 'start of month'));"
    )
    pilot_of = (
        "INSERT INTO portfolio_rollupchange (kind, key_id) "
        "SELECT 'pilot', w.pilot_id FROM pilots_workgroup w WHERE w.id = {row}.workgroup_id;"
    )
    everything = "INSERT INTO portfolio_rollupchange (kind) VALUES ('all');"
    return [
        "CREATE TRIGGER IF NOT EXISTS portfolio_rollup_observation_insert AFTER INSERT ON "
        f"metrics_observation FOR EACH ROW WHEN NEW.is_current AND {outcome.format(row='NEW')} "
        f"BEGIN {observation.format(row='NEW')} END",
        "CREATE TRIGGER IF NOT EXISTS portfolio_rollup_observation_update AFTER UPDATE ON "
        f"metrics_observation FOR EACH ROW WHEN OLD.is_current AND {outcome.format(row='OLD')} "
        f"BEGIN {observation.format(row='OLD')} END",
        *_sqlite_workgroup_months("coaching_cycle", ["adaptation_done_at"]),
        *_sqlite_workgroup_months("coaching_opportunity", ["found_at", "addressed_at"]),
        "CREATE TRIGGER IF NOT EXISTS portfolio_rollup_pilot AFTER UPDATE ON pilots_pilot "
        "FOR EACH ROW WHEN OLD.started_at IS NOT NEW.started_at "
        "OR OLD.ended_at IS NOT NEW.ended_at BEGIN "
        "INSERT INTO portfolio_rollupchange (kind, key_id) VALUES ('pilot', NEW.id); END",
        "CREATE TRIGGER IF NOT EXISTS portfolio_rollup_workgroup_insert AFTER INSERT ON "
        "pilots_workgroup FOR EACH ROW BEGIN "
        "INSERT INTO portfolio_rollupchange (kind, key_id) VALUES ('pilot', NEW.pilot_id); END",
        "CREATE TRIGGER IF NOT EXISTS portfolio_rollup_workgroup_update AFTER UPDATE ON "
        "pilots_workgroup FOR EACH ROW WHEN OLD.pilot_id IS NOT NEW.pilot_id "
        "OR OLD.supervisor_id IS NOT NEW.supervisor_id BEGIN "
        "INSERT INTO portfolio_rollupchange (kind, key_id) VALUES ('pilot', OLD.pilot_id); "
        "INSERT INTO portfolio_rollupchange (kind, key_id) VALUES ('pilot', NEW.pilot_id); END",
        "CREATE TRIGGER IF NOT EXISTS portfolio_rollup_workgroup_delete AFTER DELETE ON "
        "pilots_workgroup FOR EACH ROW BEGIN "
        "INSERT INTO portfolio_rollupchange (kind, key_id) VALUES ('pilot', OLD.pilot_id); END",
        "CREATE TRIGGER IF NOT EXISTS portfolio_rollup_member_insert AFTER INSERT ON "
        f"pilots_workgroupmember FOR EACH ROW BEGIN {pilot_of.format(row='NEW')} END",
        "CREATE TRIGGER IF NOT EXISTS portfolio_rollup_member_update AFTER UPDATE ON "
        f"pilots_workgroupmember FOR EACH ROW BEGIN {pilot_of.format(row='OLD')} "
        f"{pilot_of.format(row='NEW')} END",
        "CREATE TRIGGER IF NOT EXISTS portfolio_rollup_member_delete AFTER DELETE ON "
        f"pilots_workgroupmember FOR EACH ROW BEGIN {pilot_of.format(row='OLD')} END",
        "CREATE TRIGGER IF NOT EXISTS portfolio_rollup_settings_insert AFTER INSERT ON "
        f"portfolio_organisationsettings FOR EACH ROW BEGIN {everything} END",
        "CREATE TRIGGER IF NOT EXISTS portfolio_rollup_settings_update AFTER UPDATE ON "
        "portfolio_organisationsettings FOR EACH ROW WHEN OLD.currency IS NOT NEW.currency "
        f"BEGIN {everything} END",
        "CREATE TRIGGER IF NOT EXISTS portfolio_rollup_metric AFTER UPDATE ON "
        "metrics_metricdefinition FOR EACH ROW WHEN OLD.kind IS NOT NEW.kind "
        f"OR OLD.unit IS NOT NEW.unit BEGIN {everything} END",
    ]


# The tables the triggers sit on (their absence means a partial migrate: install later).
TABLES = {
    "portfolio_rollupchange",
    "portfolio_organisationsettings",
    "metrics_observation",
    "metrics_metricdefinition",
    "coaching_cycle",
    "coaching_opportunity",
    "pilots_pilot",
    "pilots_workgroup",
    "pilots_workgroupmember",
}

# PostgreSQL triggers on the tables the bench's bulk load fills (it rebuilds once after).
PG_TRIGGERS = {
    "portfolio_rollup_observation_insert": "metrics_observation",
    "portfolio_rollup_observation_update": "metrics_observation",
    "portfolio_rollup_cycle": "coaching_cycle",
    "portfolio_rollup_opportunity": "coaching_opportunity",
    "portfolio_rollup_pilot": "pilots_pilot",
    "portfolio_rollup_workgroup": "pilots_workgroup",
    "portfolio_rollup_member": "pilots_workgroupmember",
}


def install(connection) -> bool:
    """Create (or replace) the change-recording triggers; False when tables are missing."""
    if not set(connection.introspection.table_names()) >= TABLES:
        return False
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL)
        elif connection.vendor == "sqlite":
            for statement in _sqlite_statements():
                cursor.execute(statement)
    return True


def uninstall(connection) -> None:
    """Drop the change-recording triggers: a migration run by hand to an older state (a data
    migration's test) would otherwise meet triggers naming tables that state lacks."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger "
                "WHERE tgname LIKE 'portfolio_rollup_%%' AND NOT tgisinternal"
            )
            for name, table in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON {table}')
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'portfolio_rollup_%'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def install_after_migrate(sender, using, **kwargs):
    from django.db import connections

    install(connections[using])
