from django.urls import path

from chumchon.councils import views

app_name = "councils"
urlpatterns = [
    path("", views.council_list, name="council_list"),
    path("new/", views.council_create, name="council_create"),
    path("area/", views.area_summary, name="area_summary"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<str:org_code>/", views.organisation_detail, name="organisation_detail"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/items/new/", views.plan_item_add, name="plan_item_add"),
    path("plans/<int:pk>/items/<int:item_pk>/link/", views.plan_item_link, name="plan_item_link"),
    path("<str:code>/", views.council_detail, name="council_detail"),
    path("<str:code>/edit/", views.council_edit, name="council_edit"),
    path("<str:code>/members/new/", views.member_add, name="member_add"),
    path("<str:code>/members/<int:pk>/end/", views.member_term_end, name="member_term_end"),
    path("<str:code>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("<str:code>/meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<str:code>/meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("<str:code>/proposals/new/", views.proposal_create, name="proposal_create"),
    path("<str:code>/proposals/<int:pk>/follow-up/", views.proposal_follow_up, name="proposal_follow_up"),
    path("<str:code>/register/", views.organisation_register, name="organisation_register"),
    path("<str:code>/organisations/<str:org_code>/edit/", views.organisation_edit, name="organisation_edit"),
    path("<str:code>/registrations/<int:pk>/end/", views.registration_end, name="registration_end"),
    path("<str:code>/plans/new/", views.plan_create, name="plan_create"),
]
