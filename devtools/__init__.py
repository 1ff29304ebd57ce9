"""Development tools shipped with the bot: a local fake Bot API server for tests and bench."""
