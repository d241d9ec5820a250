"""Demo data: the organs, documents and accounts of the five seed work plans, and generated records.

``gongkai demo`` (``management/commands/demo.py``) calls :func:`.loader.load_demo`.
The pure parts — the organ table (:mod:`.organs`), the seed parser
(:mod:`.seeds`), the words (:mod:`.vocabulary`) and the record plan
(:mod:`.generate`) — import nothing from Django, so this package imports
nothing either; :mod:`.loader` writes the plan through the services.
"""
