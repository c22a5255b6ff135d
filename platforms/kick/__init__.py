"""Kick: chat and channel events over Kick's Pusher WebSocket and/or signed webhooks, replies
through Kick's public API (OAuth 2.1 + PKCE). See docs/platforms/kick.md."""
