"""URLs of purchase requests and budget lines (under /finance/purchases/)."""
from django.urls import path

from ..views import purchases as views

urlpatterns = [
    path("", views.purchase_list, name="purchase_list"),
    path("new/", views.purchase_new, name="purchase_new"),
    path("inbox/", views.purchase_inbox, name="purchase_inbox"),
    path("budget/", views.budget_list, name="budget_list"),
    path("budget/<int:pk>/", views.budget_detail, name="budget_detail"),
    path("<int:pk>/", views.purchase_detail, name="purchase_detail"),
    path("<int:pk>/edit/", views.purchase_edit, name="purchase_edit"),
    path("<int:pk>/submit/", views.purchase_submit, name="purchase_submit"),
    path("<int:pk>/cancel/", views.purchase_cancel, name="purchase_cancel"),
    path("<int:pk>/quotes/", views.purchase_quote_add, name="purchase_quote_add"),
    path("<int:pk>/quotes/choose/", views.purchase_choose_quote, name="purchase_choose_quote"),
    path("<int:pk>/quotes/<int:quote_id>/file/", views.purchase_quote_file, name="purchase_quote_file"),
    path("<int:pk>/meeting/file/", views.purchase_meeting_file, name="purchase_meeting_file"),
    path("<int:pk>/decide/", views.purchase_decide, name="purchase_decide"),
    path("<int:pk>/meeting/", views.purchase_meeting, name="purchase_meeting"),
    path("<int:pk>/print/", views.purchase_print, name="purchase_print"),
]
