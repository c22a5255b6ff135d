"""The Discord platform: slash commands, prefix commands, chat and voice activity, replies.

Absolute imports only: ``import discord`` inside this package is the discord.py library,
``platforms.discord`` is this package.
"""
