from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views
from .accounts import views as accounts_views

admin.site.site_header = _("School logistics administration")
admin.site.site_title = _("School logistics")
admin.site.index_title = _("Records")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("accounts/records/", accounts_views.login_records, name="login_records"),
    path("accounts/records/unlock/", accounts_views.login_unlock, name="login_unlock"),
    path("accounts/sessions/end-others/", accounts_views.end_other_sessions, name="end_other_sessions"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("summary/", include("logistics.summary.urls")),
    path("findings/", include("logistics.findings.urls")),
    path("files/", include("logistics.jobs.urls")),
    path("", include("assets.urls")),
    path("", include("finance.urls")),
    path("", include("canteen.urls")),
    path("", include("safety.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "logistics.errors.forbidden"
handler404 = "logistics.errors.not_found"
handler500 = "logistics.errors.server_error"
