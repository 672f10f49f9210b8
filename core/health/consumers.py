from __future__ import annotations

import time

from channels.generic.websocket import AsyncJsonWebsocketConsumer


class PingConsumer(AsyncJsonWebsocketConsumer):
    """Lets a client check that websockets pass through its network and proxies."""

    async def connect(self) -> None:
        await self.accept()
        await self.send_json({"type": "hello", "server_time": time.time()})

    async def receive_json(self, content, **kwargs) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong", "server_time": time.time()})
        else:
            await self.send_json({"type": "error", "code": "unknown_message"})

    @classmethod
    async def decode_json(cls, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None
