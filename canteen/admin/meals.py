"""Admin of the canteen's meals area: meals, samples, disinfection and accompanied meals are made and moved by
the services (their rules and history), so the admin reads them and corrects only notes and comments."""
from django.contrib import admin

from logistics.admin import ServiceRecordAdmin

from ..models import AccompaniedMeal, Disinfection, Meal, Sample


class _Readonly:
    """Inline rows shown, never added or removed here."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.editable]


class SampleInline(_Readonly, admin.TabularInline):
    model = Sample
    fields = ["dish", "grams", "taken_by", "taken_at", "fridge", "fridge_c", "discarded_at", "reviewed_by"]


class DisinfectionInline(_Readonly, admin.TabularInline):
    model = Disinfection
    fields = ["target", "method", "temperature_c", "concentration_mg_l", "minutes", "done_by", "done_at"]


@admin.register(Meal)
class MealAdmin(ServiceRecordAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["date", "kind", "served", "note"]
    list_filter = ["kind", "served"]
    correctable = ("note", "diners")
    inlines = [SampleInline, DisinfectionInline]


@admin.register(Sample)
class SampleAdmin(ServiceRecordAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["meal", "dish", "grams", "fridge_c", "taken_by", "taken_at", "discarded_at", "reviewed_by"]
    list_filter = ["meal__kind", ("discarded_at", admin.EmptyFieldListFilter)]
    search_fields = ["dish"]
    list_select_related = ["meal", "taken_by", "reviewed_by"]
    correctable = ("fridge",)


@admin.register(Disinfection)
class DisinfectionAdmin(ServiceRecordAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["meal", "target", "method", "temperature_c", "concentration_mg_l", "minutes", "done_by", "done_at"]
    list_filter = ["target", "method", "meal__kind"]
    list_select_related = ["meal", "done_by"]
    correctable = ("note",)


@admin.register(AccompaniedMeal)
class AccompaniedMealAdmin(ServiceRecordAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["meal", "companion", "person", "name", "rating", "recorded_by"]
    list_filter = ["companion", "rating"]
    search_fields = ["name", "comments"]
    list_select_related = ["meal", "person", "recorded_by"]
    correctable = ("comments",)
