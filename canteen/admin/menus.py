"""Admin of the canteen's menus area: the weeks and their dishes, read-only (the week page's services keep
their rules: dishes checked, repeats flagged, publication and links with history)."""
from django.contrib import admin

from logistics.admin import ServiceRecordAdmin

from ..models import MenuDish, MenuWeek


class MenuDishInline(admin.TabularInline):
    model = MenuDish
    fields = ["day", "meal", "position", "name"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MenuWeek)
class MenuWeekAdmin(ServiceRecordAdmin):
    list_display = ["week_start", "published", "note"]
    list_filter = ["published"]
    date_hierarchy = "week_start"
    correctable = ("note",)
    inlines = [MenuDishInline]


@admin.register(MenuDish)
class MenuDishAdmin(ServiceRecordAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["name", "day", "meal", "position", "week"]
    list_filter = ["meal"]
    search_fields = ["name"]
    list_select_related = ["week"]
