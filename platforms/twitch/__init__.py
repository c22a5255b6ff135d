"""Twitch: EventSub (WebSocket or webhooks) in, Helix chat out. See docs/platforms/twitch.md."""
