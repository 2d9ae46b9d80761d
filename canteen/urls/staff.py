"""URLs of the canteen's staff area."""

urlpatterns = []
