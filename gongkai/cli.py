"""The ``gongkai`` console command: a thin door to the management commands.

``gongkai demo``, ``gongkai serve``, ``gongkai import DIR``, ``gongkai clock FILE``,
``gongkai bench clock`` … and every other Django management command.
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "serve": "serve",
    "import": "import_records",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    if not args or args[0] in {"-h", "--help", "help"} and len(args) == 1:
        print(__doc__.strip())
        print("\n常用命令: demo, serve, import, createsuperuser, clock, bench, reindex, check, migrate")
        return 0
    args[0] = ALIASES.get(args[0], args[0])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
