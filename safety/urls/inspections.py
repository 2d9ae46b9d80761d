"""URLs of the safety module's inspections area (namespace "safety")."""
urlpatterns = []
