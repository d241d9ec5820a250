"""Public participation (公众参与): consultations and feedback, concerns ledger, open meetings, messages, Q&A."""
