from django.urls import path

from core.notices.consumers import NoticeConsumer

websocket_urlpatterns = [path("ws/notices/", NoticeConsumer.as_asgi())]
