from django.urls import path

from chumchon.geo import views

app_name = "geo"
urlpatterns = [
    path("", views.nation, name="nation"),
    path("region/<int:pk>/", views.region, name="region"),
    path("province/<str:code>/", views.province, name="province"),
    path("district/<str:code>/", views.district, name="district"),
    path("subdistrict/<str:code>/", views.subdistrict, name="subdistrict"),
    path("subdistrict/<str:code>/local-administrations/new/", views.local_administration_create,
         name="local_administration_create"),
]
