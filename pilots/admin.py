"""Admin for pilots: searchable, filterable, read-only views with their audit history.

Pilots move only through the lifecycle services (state checks, who may act, the record of
every move), and workgroups, charters and ties are changed by the sponsor and supervisor on
the pilot pages. Editing them here would skip those rules, so staff read and search here."""

from django.contrib import admin

from core.admin import HistoryAdmin, ReadOnly
from pilots.models import (
    Charter,
    CompetingInitiative,
    Pilot,
    PilotTransition,
    RunningAssignment,
    ScaleDecision,
    Tie,
    Workgroup,
    WorkgroupMember,
)


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0


class TransitionInline(ReadOnlyInline):
    model = PilotTransition
    fields = ["at", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields


class WorkgroupInline(ReadOnlyInline):
    model = Workgroup
    fields = ["name", "supervisor", "cadence_days"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Pilot)
class PilotAdmin(ReadOnly, HistoryAdmin):
    list_display = ["name", "approach", "status", "sponsor", "planned_start", "premature_stop"]
    list_filter = ["status", "approach", "premature_stop"]
    search_fields = ["name", "sponsor__full_name", "sponsor__external_id", "vision"]
    list_select_related = ["sponsor"]
    date_hierarchy = "planned_start"
    inlines = [WorkgroupInline, TransitionInline]


class MemberInline(ReadOnlyInline):
    model = WorkgroupMember
    fields = ["person", "added_at"]
    readonly_fields = fields


class TieInline(ReadOnlyInline):
    model = Tie
    fields = ["counterpart", "frequency", "strength", "note"]
    readonly_fields = fields


class InitiativeInline(ReadOnlyInline):
    model = CompetingInitiative
    fields = ["name", "owner", "time_share_percent"]
    readonly_fields = fields


@admin.register(Workgroup)
class WorkgroupAdmin(ReadOnly, HistoryAdmin):
    list_display = ["name", "pilot", "supervisor", "cadence_days"]
    list_filter = ["pilot__status", "pilot__approach"]
    search_fields = ["name", "pilot__name", "supervisor__full_name", "supervisor__external_id"]
    list_select_related = ["pilot", "supervisor"]
    inlines = [MemberInline, TieInline, InitiativeInline]


@admin.register(Charter)
class CharterAdmin(ReadOnly, HistoryAdmin):
    list_display = ["workgroup", "signed_at", "signed_by", "assurance_confirmed_at"]
    list_filter = ["workgroup__pilot__status"]
    search_fields = ["workgroup__name", "workgroup__pilot__name"]
    list_select_related = ["workgroup", "signed_by"]


@admin.register(PilotTransition)
class PilotTransitionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["pilot", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["pilot__name", "reason", "by__username"]
    list_select_related = ["pilot", "by"]
    date_hierarchy = "at"


@admin.register(ScaleDecision)
class ScaleDecisionAdmin(ReadOnly, HistoryAdmin):
    list_display = ["pilot", "decision", "decided_by", "decided_at"]
    list_filter = ["decision"]
    search_fields = ["pilot__name", "lessons_learned", "capabilities_built"]
    list_select_related = ["pilot", "decided_by"]


@admin.register(RunningAssignment)
class RunningAssignmentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["person", "workgroup", "assigned_at"]
    search_fields = ["person__full_name", "person__external_id", "workgroup__name"]
    list_select_related = ["person", "workgroup"]


@admin.register(Tie)
class TieAdmin(ReadOnly, HistoryAdmin):
    list_display = ["counterpart", "workgroup", "frequency", "strength"]
    list_filter = ["frequency", "strength"]
    search_fields = ["counterpart", "workgroup__name"]
    list_select_related = ["workgroup"]


@admin.register(CompetingInitiative)
class CompetingInitiativeAdmin(ReadOnly, HistoryAdmin):
    list_display = ["name", "owner", "workgroup", "time_share_percent"]
    search_fields = ["name", "owner", "workgroup__name"]
    list_select_related = ["workgroup"]


@admin.register(WorkgroupMember)
class WorkgroupMemberAdmin(ReadOnly, HistoryAdmin):
    list_display = ["person", "workgroup", "added_at"]
    search_fields = ["person__full_name", "person__external_id", "workgroup__name"]
    list_select_related = ["person", "workgroup"]
