from django.urls import path

from core.workflow.open311 import views

urlpatterns = [
    path("discovery.json", views.discovery, name="open311-discovery"),
    path("services.json", views.service_list, name="open311-services"),
    path("services/<str:code>.json", views.service_definition, name="open311-service"),
    path("requests.json", views.requests, name="open311-requests"),
    path("requests/<int:request_id>.json", views.request_detail, name="open311-request"),
]
