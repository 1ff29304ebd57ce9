"""Telegram plumbing behind bot/telegram_app.py: delivery retries, durable updates, webhook."""
