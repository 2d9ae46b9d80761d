"""Admin of the safety inspections area: checklists are kept here (their items inline, history on both, the
version raised by every edit so a stale inspection page notices), with an action that adds the typical school
checklist's items; inspections and their results are recorded on their pages and read here."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms import TextInput
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext
from simple_history.admin import SimpleHistoryAdmin

from logistics.admin import ServiceRecordAdmin
from logistics.history import history_reason

from ..models.inspections import Inspection, InspectionPlan, InspectionResult, PlanItem
from ..services.inspections import plan_add_typical_items


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    fields = ["position", "area", "text"]
    extra = 3
    formfield_overrides = {models.CharField: {"widget": TextInput(attrs={"size": 70})}}


@admin.register(InspectionPlan)
class InspectionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "frequency", "inspector", "only_in_term", "active", "version"]
    list_filter = ["active", "kind", "frequency"]
    search_fields = ["title"]
    list_select_related = ["inspector"]
    autocomplete_fields = ["inspector"]
    readonly_fields = ["version"]
    fields = ["title", "kind", "inspector", "frequency", "weekdays", "day_of_month", "part_of_day", "only_in_term",
              "active", "version"]
    inlines = [PlanItemInline]
    actions = ["add_typical_items"]

    def save_model(self, request, obj, form, change):
        obj.version += 1
        obj._history_user = request.user
        obj._change_reason = history_reason(gettext_noop("changed the checklist") if change
                                            else gettext_noop("created the checklist"))
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """Each item saved one by one with the history's user and reason (bulk writes keep no history)."""
        items = formset.save(commit=False)
        for item in formset.deleted_objects:
            item._history_user = request.user
            item._change_reason = history_reason(gettext_noop("removed the item"))
            item.delete()
        for item in items:
            item._history_user = request.user
            item._change_reason = history_reason(gettext_noop("changed the item") if item.pk
                                                 else gettext_noop("added the item"))
            item.save()
        formset.save_m2m()

    @admin.action(description=_("Add the typical school checklist's items"), permissions=["change"])
    def add_typical_items(self, request, queryset):
        for plan in queryset:
            try:
                added = plan_add_typical_items(plan_id=plan.pk, by=request.user)
            except (PermissionDenied, ValidationError) as e:
                self.message_user(request, f"{plan}: {' '.join(getattr(e, 'messages', [str(e)]))}", messages.ERROR)
            else:
                self.message_user(request, ngettext("%(plan)s: %(n)s item added.", "%(plan)s: %(n)s items added.",
                                                    added) % {"plan": plan, "n": added})


class InspectionResultInline(admin.TabularInline):
    model = InspectionResult
    extra = 0
    can_delete = False
    fields = ["area", "item", "outcome", "note", "photo", "finding"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(ServiceRecordAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["due_date", "plan", "status", "inspector", "done_by", "done_at"]
    list_filter = ["status", "plan"]
    search_fields = ["plan__title", "note"]
    list_select_related = ["plan", "inspector", "done_by"]
    inlines = [InspectionResultInline]
    correctable = ("note",)


@admin.register(InspectionResult)
class InspectionResultAdmin(ServiceRecordAdmin):
    list_display = ["inspection", "area", "item", "outcome", "note"]
    list_filter = ["outcome", "area"]
    search_fields = ["item", "note", "inspection__plan__title"]
    list_select_related = ["inspection__plan"]
    correctable = ("note",)
