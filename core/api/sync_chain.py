"""One thread hop a request under ASGI, not one per middleware.

Django adapts each middleware to the mode of the one inside it. With the views synchronous
(DRF) and most middleware able to run both ways, an ASGI request used to cross between the
event loop and the sync thread for nearly every middleware (MiddlewareMixin runs process_request
and process_response through sync_to_async each) and back (a sync-only middleware in the middle
calls the async ones below it through async_to_sync). Listed last in MIDDLEWARE, this sync-only
middleware makes every middleware above it and the view run synchronously, in the one thread
Django enters once per request (measured by bench/bench_http.py).
"""

from __future__ import annotations


class SyncMiddlewareChain:
    sync_capable = True
    async_capable = False

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
