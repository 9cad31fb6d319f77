from django.urls import path

from chumchon.welfare import views

app_name = "welfare"
urlpatterns = [
    path("", views.fund_list, name="fund_list"),
    path("<str:code>/", views.fund_detail, name="fund_detail"),
]
