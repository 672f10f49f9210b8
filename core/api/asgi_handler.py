"""Django under ASGI with one thread hop a request, not one per middleware.

Django's ASGIHandler runs the middleware chain in async mode: every MiddlewareMixin middleware
enters the sync thread for its process_request and again for its process_response, a sync-only
middleware calls the ones inside it back on the event loop (async_to_sync), and the view, its
process_view hooks and the rendering each enter the thread again. Our views and middleware are
all synchronous, so this handler loads the chain in sync mode, as under WSGI, and runs the whole
of it, view included, in one call to the sync thread (the same single thread Django's
thread-sensitive calls use). Reading the body, streaming the response and the request signals
stay Django's own. Measured by bench/bench_http.py (the server's CPU a request).
"""

from __future__ import annotations

import django
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class SyncChainASGIHandler(ASGIHandler):
    def __init__(self):
        super(ASGIHandler, self).__init__()
        self.load_middleware(is_async=False)

    async def get_response_async(self, request):
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)


def get_asgi_application() -> SyncChainASGIHandler:
    """django.core.asgi.get_asgi_application, with the handler above."""
    django.setup(set_prefix=False)
    return SyncChainASGIHandler()
