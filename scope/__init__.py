"""Where and when a figure is about: places, organisations and periods in Chinese text.

One model used by extraction (knowledge) and by questions (nlp), so a document and a question
name the same place and period the same way. Imports nothing from the project.
"""
