"""URLs of the safety module's duty area (namespace "safety")."""
urlpatterns = []
