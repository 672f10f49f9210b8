from django.urls import path

from core.dashboards.consumers import DashboardConsumer

websocket_urlpatterns = [path("ws/dashboards/<int:region_id>/", DashboardConsumer.as_asgi())]
