"""URLs of the safety module's plans area (namespace "safety")."""
urlpatterns = []
