"""Play the 12345 centre against a running platform: sign a JSON message with HOTLINE_SECRET and
POST it to the push or the return-visit endpoint, as the centre would. For trying the demo
(`make demo` sets a demo secret) and checking a connection; refused in production."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from affairs.hotline import signing

PATHS = {"push": "/api/v1/hotline/push/", "return-visit": "/api/v1/hotline/return-visits/"}


class Command(BaseCommand):
    help = "Sign a JSON ticket or return visit with HOTLINE_SECRET and POST it, as the 12345 centre does."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(PATHS))
        parser.add_argument("message", help="the JSON text, or @file.json")
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the platform's base URL")

    def handle(self, *args, kind: str, message: str, url: str, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("hotline_send is refused when DJANGO_ENV=production")
        if not settings.HOTLINE_SECRET:
            raise CommandError("HOTLINE_SECRET is not set (make demo sets a demo secret)")
        text = Path(message[1:]).read_text(encoding="utf-8") if message.startswith("@") else message
        try:
            body = json.dumps(json.loads(text), ensure_ascii=False).encode()
        except ValueError as error:
            raise CommandError(f"the message is not JSON: {error}") from None
        path = PATHS[kind]
        request = urllib.request.Request(  # noqa: S310 - a URL the operator typed
            url.rstrip("/") + path,
            data=body,
            method="POST",
            headers=signing.signed_headers("POST", path, body),
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                status, answer = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, answer = error.code, error.read()
        except urllib.error.URLError as error:
            raise CommandError(f"cannot reach {url}: {error.reason}") from None
        self.stdout.write(f"{status} {answer.decode('utf-8', 'replace')}")
