"""The global flags (-q, -v, --debug) are accepted after the subcommand too.

``radio build --all -q`` means what ``radio -q build --all`` means: before ``--``,
every global flag is moved in front of the subcommand, where click expects it.
"""
from __future__ import annotations

GLOBAL_FLAGS = ("-q", "--quiet", "-v", "--verbose", "--debug")


def hoist_global_flags(argv: list[str]) -> list[str]:
    """*argv* with the global flags found anywhere (before ``--``) put first."""
    flags, rest = [], []
    for index, arg in enumerate(argv):
        if arg == "--":
            rest.extend(argv[index:])
            break
        (flags if arg in GLOBAL_FLAGS else rest).append(arg)
    return flags + rest
