"""URLs of the safety module's pledges area (namespace "safety")."""
urlpatterns = []
