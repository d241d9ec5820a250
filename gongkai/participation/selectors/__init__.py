"""Reads of the participation app, one module per topic (consultations, messages, answers …)."""
