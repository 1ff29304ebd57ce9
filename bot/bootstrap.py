"""The composition root of a bot that answers: the database, then the NLP pipeline on it."""

from __future__ import annotations

from dataclasses import replace

from bot.proposal_service import get_triager
from bot.services import Services, open_services
from bot.settings import Settings
from db.startup_lock import startup_lock
from nlp.pipeline import build_assistant


def build_services(settings: Settings) -> Services:
    """Open the database and load (or build, the first time) the answering pipeline."""
    services = open_services(settings)
    # One worker builds the model files a fresh host lacks; the others then just read them.
    with startup_lock(services.engine):
        assistant = build_assistant(services.sessions, settings.var_dir / "model")
        services = replace(services, assistant=assistant)
        # Every built artifact (dictionary, intent model, snapshot segments and their indexes,
        # the triager) is obtained here, before the first request.
        get_triager(services)
    return services
