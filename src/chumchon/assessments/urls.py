from django.urls import path

from chumchon.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="assessment_list"),
    path("new/", views.assessment_start, name="assessment_start"),
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument_detail"),
    path("instruments/<int:pk>/items/<int:item_pk>/edit/", views.instrument_item_edit, name="instrument_item_edit"),
    path("<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("<int:pk>/answer/", views.assessment_answer, name="assessment_answer"),
]
