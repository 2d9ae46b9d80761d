"""Admin of stocktakes: for back-office correction and reading; the journeys have their own pages."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import Stocktake, StocktakeLine, StocktakeRoom


@admin.register(Stocktake)
class StocktakeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "term", "status", "opened_by", "opened_at", "closed_at"]
    list_select_related = ["term", "opened_by"]
    list_filter = ["status", "kind", "term"]
    search_fields = ["name"]
    date_hierarchy = "opened_at"
    raw_id_fields = ["opened_by", "closed_by"]
    # Opening (which makes the room sheets) and closing are the stocktake pages' moves.
    readonly_fields = ["kind", "term", "status", "opened_by", "opened_at", "closed_by", "closed_at", "version"]

    def has_add_permission(self, request):
        return False


@admin.register(StocktakeRoom)
class StocktakeRoomAdmin(SimpleHistoryAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["location", "stocktake", "status", "checked_by", "checked_at", "keeper_name", "signed_by",
                    "signed_at"]
    list_filter = ["status", "stocktake__status", "stocktake", "location__building"]
    search_fields = ["location__name", "location__building__name", "stocktake__name", "keeper_name"]
    list_select_related = ["location__building", "stocktake", "checked_by", "signed_by"]
    raw_id_fields = ["stocktake", "location", "checked_by", "signed_by"]
    readonly_fields = ["stocktake", "location", "status", "checked_by", "checked_at", "keeper_name", "signed_by",
                       "signed_at", "version"]

    def has_add_permission(self, request):
        return False


@admin.register(StocktakeLine)
class StocktakeLineAdmin(SimpleHistoryAdmin):
    show_full_result_count = False  # a big table: no second count over all of it
    list_display = ["__str__", "outcome", "expected_quantity", "counted_quantity", "moved_to", "follow_up"]
    list_filter = ["outcome", "damage_action", "room__stocktake", "room__location__building"]
    search_fields = ["asset__tag", "asset__name", "found_name", "note", "room__location__name"]
    list_select_related = ["room__stocktake", "room__location__building", "asset", "moved_to__building"]
    raw_id_fields = ["room", "asset", "moved_to"]
    # Counts and their outcomes are the sheet's, checked by the stocktake services; notes may be corrected.
    readonly_fields = ["room", "asset", "expected_quantity", "counted_quantity", "outcome", "moved_to",
                       "damage_action", "follow_up"]

    def has_add_permission(self, request):
        return False
