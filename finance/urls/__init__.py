"""URLs of finance: one module per area, all under the "finance" namespace."""
app_name = "finance"

urlpatterns = []
