"""URLs of supplies, requisitions, term-start distributions and print requests."""
from django.urls import path

from ..views import supplies as views

urlpatterns = [
    path("supplies/", views.supply_list, name="supply_list"),
    path("supplies/new/", views.supply_edit, name="supply_new"),
    path("supplies/<int:pk>/", views.supply_detail, name="supply_detail"),
    path("supplies/<int:pk>/edit/", views.supply_edit, name="supply_edit"),
    path("supplies/<int:pk>/stock-in/", views.supply_stock_in, name="supply_stock_in"),
    path("requisitions/", views.requisition_queue, name="requisition_queue"),
    path("requisitions/new/", views.requisition_new, name="requisition_new"),
    path("requisitions/mine/", views.requisition_mine, name="requisition_mine"),
    path("requisitions/<int:pk>/", views.requisition_detail, name="requisition_detail"),
    path("requisitions/<int:pk>/issue/", views.requisition_issue, name="requisition_issue"),
    path("requisitions/<int:pk>/reject/", views.requisition_reject, name="requisition_reject"),
    path("requisitions/<int:pk>/cancel/", views.requisition_cancel, name="requisition_cancel"),
    path("distributions/", views.distribution_list, name="distribution_list"),
    path("distributions/new/", views.distribution_edit, name="distribution_new"),
    path("distributions/<int:pk>/", views.distribution_detail, name="distribution_detail"),
    path("distributions/<int:pk>/edit/", views.distribution_edit, name="distribution_edit"),
    path("distributions/<int:pk>/issue/", views.distribution_issue, name="distribution_issue"),
    path("distributions/<int:pk>/sheet/", views.distribution_sheet, name="distribution_sheet"),
    path("prints/", views.print_list, name="print_list"),
    path("prints/new/", views.print_new, name="print_new"),
    path("prints/usage/", views.print_usage, name="print_usage"),
    path("prints/<int:pk>/", views.print_detail, name="print_detail"),
    path("prints/<int:pk>/approve/", views.print_approve, name="print_approve"),
    path("prints/<int:pk>/reject/", views.print_reject, name="print_reject"),
    path("prints/<int:pk>/done/", views.print_done, name="print_done"),
    path("prints/<int:pk>/cancel/", views.print_cancel, name="print_cancel"),
]
