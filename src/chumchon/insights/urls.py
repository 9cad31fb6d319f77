from django.urls import path

from chumchon.insights import views, views_open

app_name = "insights"

urlpatterns = [
    path("", views.home, name="home"),
    path("<str:level>/<str:code>/", views.dashboard, name="dashboard"),
    path("<str:level>/<str:code>/councils/", views.dashboard_councils, name="dashboard_councils"),
    path("report/<int:fiscal_year>/<str:level>/<str:code>/", views.annual_report_page, name="annual_report"),
]

open_patterns = ([
    path("", views_open.catalogue, name="catalogue"),
    path("catalog.json", views_open.catalogue_json, name="catalogue_json"),
    path("<str:dataset>.<str:fmt>", views_open.dataset, name="dataset"),
], "open_data")
