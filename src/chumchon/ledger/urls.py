from django.urls import path

from chumchon.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.book_list, name="book_list"),
    path("<str:code>/", views.book_detail, name="book_detail"),
    path("<str:code>/journal/", views.journal, name="journal"),
    path("<str:code>/entries/new/", views.entry_create, name="entry_create"),
    path("<str:code>/entries/totals/", views.entry_totals, name="entry_totals"),
    path("<str:code>/entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("<str:code>/entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("<str:code>/periods/", views.periods, name="periods"),
]
