"""URLs of the canteen's suppliers area."""

urlpatterns = []
