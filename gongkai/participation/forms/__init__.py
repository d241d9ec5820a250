"""Participation forms, one module per topic; they validate input only."""
