from django.urls import path

from . import views

app_name = "summary"

urlpatterns = [
    path("", views.summary_list, name="list"),
    path("<int:term_pk>/", views.summary_detail, name="detail"),
    path("<int:term_pk>/start/", views.summary_start, name="start"),
    path("<int:term_pk>/opening/", views.summary_opening, name="opening"),
    path("<int:term_pk>/chapter/<slug:key>/", views.summary_chapter, name="chapter"),
    path("<int:term_pk>/chapter/<slug:key>/remove/", views.summary_remove_chapter, name="remove_chapter"),
    path("<int:term_pk>/arrange/", views.summary_arrange, name="arrange"),
    path("<int:term_pk>/submit/", views.summary_submit, name="submit"),
    path("<int:term_pk>/sign/", views.summary_sign, name="sign"),
    path("<int:term_pk>/return/", views.summary_return, name="return"),
    path("<int:term_pk>/pdf/", views.summary_print, name="pdf"),
    path("<int:term_pk>/docx/", views.summary_word, name="docx"),
]
