from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Building,
    Department,
    Finding,
    FindingPhoto,
    Location,
    SchoolProfile,
    SummaryChapter,
    Term,
    TermSummary,
)


class SingletonAdmin(SimpleHistoryAdmin):
    """One record, never deleted: the school's profile, and each module's settings (a module registers
    its ModuleSettings model with this admin in its own admin module)."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not self.model._default_manager.exists()

    def has_delete_permission(self, request, obj=None):
        return False


ModuleSettingsAdmin = SingletonAdmin


class ParentsFilter(admin.RelatedFieldListFilter):
    """A filter by a related record whose name names its parent (a room: "教学楼 · 一(1)班"): the choices are
    read with their parents in one query, not one query per room. In list_filter: ("location", ParentsFilter)."""

    def field_choices(self, field, request, model_admin):
        related = field.related_model
        parents = [f.name for f in related._meta.concrete_fields if f.many_to_one]
        qs = related._default_manager.select_related(*parents)
        ordering = self.field_admin_ordering(field, request, model_admin)
        return [(obj.pk, str(obj)) for obj in (qs.order_by(*ordering) if ordering else qs)]


class ServiceRecordAdmin(SimpleHistoryAdmin):
    """A record its services create and move (with their rules, ledger entries and history): the admin
    reads it, and may correct only the fields named in `correctable` (text such as a description); its
    state, signatures, approvals, amounts and who/when fields stay read-only, and it is never added here.
    Fields a later version adds are read-only too, until named. Business records grow with the years: the
    changelist never counts the whole table a second time."""

    correctable = ()
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in (*self.model._meta.fields, *self.model._meta.many_to_many)
                if f.editable and not f.auto_created and f.name not in self.correctable]

    def has_add_permission(self, request):
        return False


@admin.register(SchoolProfile)
class SchoolProfileAdmin(SingletonAdmin):
    list_display = ["name", "principal_name", "phone", "address"]


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["name", "start", "end"]
    search_fields = ["name"]
    date_hierarchy = "start"


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "head"]
    search_fields = ["name"]
    list_select_related = ["head"]
    autocomplete_fields = ["head"]


class LocationInline(admin.TabularInline):
    model = Location
    extra = 1
    fields = ["name", "floor", "kind", "active"]


@admin.register(Building)
class BuildingAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sort_order"]
    search_fields = ["name"]
    inlines = [LocationInline]


@admin.register(Location)
class LocationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "building", "floor", "kind", "active"]
    list_filter = ["building", "kind", "active"]
    search_fields = ["name", "building__name"]
    list_select_related = ["building"]


class SummaryChapterInline(admin.TabularInline):
    model = SummaryChapter
    fields = ["position", "key", "title", "hidden", "narrative"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TermSummary)
class TermSummaryAdmin(ServiceRecordAdmin):
    """Read here; written, submitted and signed off on its own pages (/summary/), where the rules are."""

    list_display = ["term", "status", "submitted_by", "submitted_at", "signed_by", "signed_at"]
    list_filter = ["status"]
    list_select_related = ["term", "submitted_by", "signed_by"]
    inlines = [SummaryChapterInline]


class FindingPhotoInline(admin.TabularInline):
    model = FindingPhoto
    fields = ["kind", "image", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Finding)
class FindingAdmin(ServiceRecordAdmin):
    """Read here; raised, fixed and verified on its own pages (/findings/), where the rules are. Its words may
    be corrected."""

    correctable = ("title", "description")
    list_display = ["number", "title", "area", "status", "severity", "responsible", "deadline", "found_at"]
    list_filter = ["area", "status", "severity"]
    search_fields = ["number", "title", "description"]
    list_select_related = ["responsible"]
    date_hierarchy = "found_at"
    inlines = [FindingPhotoInline]
