"""URLs of the canteen's meals area."""

urlpatterns = []
