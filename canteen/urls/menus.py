"""URLs of the canteen's menus, and the public menu page for parents (/menu/<key>/)."""

urlpatterns = []
public_urlpatterns = []
