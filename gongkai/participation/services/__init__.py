"""Writes to the participation app, split by topic (consultations, meetings, concerns, messages, answers)."""
