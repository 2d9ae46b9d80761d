"""URLs of the canteen's today area."""

urlpatterns = []
