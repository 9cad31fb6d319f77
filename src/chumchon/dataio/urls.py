from django.urls import path

from chumchon.dataio import views

app_name = "dataio"
urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/resume/", views.import_resume, name="import_resume"),
    path("imports/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("imports/<int:pk>/report.xlsx", views.import_report, name="import_report"),
    path("export/", views.export, name="export"),
    path("funds/<str:code>/archive/", views.fund_archive, name="fund_archive"),
    path("templates/<str:kind>.<str:fmt>", views.template_download, name="template_download"),
]
