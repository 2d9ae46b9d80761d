"""URLs of the canteen's inspections area."""

urlpatterns = []
