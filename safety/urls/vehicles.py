"""URLs of the safety module's vehicles area (namespace "safety")."""
urlpatterns = []
