"""Each baseline records the meaning of its metric (direction, aggregation, unit, kind) and who
froze it; observations record who wrote them; metric definitions get their history.

Existing baselines take the meaning their metric has now. On PostgreSQL the immutability
trigger refuses every UPDATE of a baseline, so the backfill lifts it for this one statement,
inside the migration's transaction, and puts it back; the trigger covers the new columns as
it covers every column.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


BACKFILL = """
UPDATE metrics_baseline SET
    metric_direction = (SELECT m.direction FROM metrics_metricdefinition m
                        WHERE m.id = metrics_baseline.metric_id),
    metric_aggregation = (SELECT m.aggregation FROM metrics_metricdefinition m
                          WHERE m.id = metrics_baseline.metric_id),
    metric_unit = (SELECT m.unit FROM metrics_metricdefinition m
                   WHERE m.id = metrics_baseline.metric_id),
    metric_kind = (SELECT m.kind FROM metrics_metricdefinition m
                   WHERE m.id = metrics_baseline.metric_id)
"""
TRIGGER = "ALTER TABLE metrics_baseline {} TRIGGER metrics_baseline_immutable"


def backfill_meaning(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    with schema_editor.connection.cursor() as cursor:
        if postgresql:
            cursor.execute(TRIGGER.format("DISABLE"))
        cursor.execute(BACKFILL)
        if postgresql:
            cursor.execute(TRIGGER.format("ENABLE"))


class Migration(migrations.Migration):

    dependencies = [
        ('hrapi', '0004_history'),
        ('metrics', '0004_observation_metric_no_own_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='baseline',
            name='frozen_by',
            field=models.ForeignKey(blank=True, help_text='Who started the pilot (version 1) or re-baselined (later versions).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='baseline',
            name='metric_aggregation',
            field=models.CharField(choices=[('mean', 'Mean'), ('sum', 'Sum'), ('last', 'Last')], default='', max_length=8),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='baseline',
            name='metric_direction',
            field=models.CharField(choices=[('higher_is_better', 'Higher is better'), ('lower_is_better', 'Lower is better')], default='', max_length=20),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='baseline',
            name='metric_kind',
            field=models.CharField(choices=[('efficiency', 'Efficiency'), ('value', 'Value created'), ('performance', 'Performance (used in supervisor reviews)')], default='', max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='baseline',
            name='metric_unit',
            field=models.CharField(default='', max_length=32),
            preserve_default=False,
        ),
        migrations.RunPython(backfill_meaning, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='baseline',
            constraint=models.CheckConstraint(condition=models.Q(('metric_aggregation__in', ['mean', 'sum', 'last']), ('metric_direction__in', ['higher_is_better', 'lower_is_better']), ('metric_kind__in', ['efficiency', 'value', 'performance'])), name='baseline_meaning_recorded'),
        ),
        migrations.AddField(
            model_name='observation',
            name='api_client',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='hrapi.apiclient'),
        ),
        migrations.AddField(
            model_name='observation',
            name='import_job',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='metrics.importjob'),
        ),
        migrations.AddField(
            model_name='observation',
            name='recorded_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.CreateModel(
            name='HistoricalMetricDefinition',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('key', models.SlugField(max_length=64)),
                ('name', models.CharField(max_length=200)),
                ('unit', models.CharField(help_text='For example "hours", "EUR", "%", "days".', max_length=32)),
                ('kind', models.CharField(choices=[('efficiency', 'Efficiency'), ('value', 'Value created'), ('performance', 'Performance (used in supervisor reviews)')], max_length=16)),
                ('direction', models.CharField(choices=[('higher_is_better', 'Higher is better'), ('lower_is_better', 'Lower is better')], max_length=20)),
                ('aggregation', models.CharField(choices=[('mean', 'Mean'), ('sum', 'Sum'), ('last', 'Last')], max_length=8)),
                ('description', models.TextField(blank=True)),
                ('active', models.BooleanField(default=True)),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_api_client', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='hrapi.apiclient', verbose_name='API client')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical metric definition',
                'verbose_name_plural': 'historical metric definitions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
