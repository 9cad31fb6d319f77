"""Statement pages and downloads (included by the project under ``ledger/``)."""

from django.urls import path

from chumchon.ledger import views_statements as views

app_name = "ledger_statements"
urlpatterns = [
    path("<str:book_code>/statements/", views.book_index, name="book_index"),
    path("<str:book_code>/statements/<slug:kind>/", views.book_statement, name="book_statement"),
    path("area/<slug:level>/<str:code>/statements/", views.area_index, name="area_index"),
    path("area/<slug:level>/<str:code>/statements/<slug:kind>/", views.area_statement, name="area_statement"),
]
