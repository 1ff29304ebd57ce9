"""Chinese text intake: the small rules every reader of text shares.

Width folding, sentences and points, content hashing and "is this a proposal" live here once,
so the document path (knowledge/) and the question and triage paths (nlp/, bot/) cannot drift
apart again. The package imports nothing from the project (the architecture test holds it),
which keeps it usable from any layer without creating an import cycle.
"""
