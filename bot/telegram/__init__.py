"""The Telegram edge: the only package that imports python-telegram-bot.

app.py builds the PTB Application and adapts Update -> Incoming -> handlers -> messages;
polling.py / webhook.py receive updates durably (durable.py journals them before Telegram may
forget them); delivery.py retries sends; runner.py starts and stops it all for `serve`.
Everything behind handlers.handle is transport-neutral, so the console and tests share it.
"""
