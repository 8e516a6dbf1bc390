"""The global flags (-q, -v, --debug) are accepted after the subcommand too.

``radio build --all -q`` means what ``radio -q build --all`` means: before ``--``,
every global flag is moved in front of the subcommand, where click expects it
(``-qv`` too, short flags run together as click takes them there).
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
        if is_global(arg):
            flags.append(arg.lower())
        else:
            rest.append(arg)
    return flags + rest


def is_global(arg: str) -> bool:
    """A global flag, or short ones run together (``-qv``, ``-vq``)."""
    arg = arg.lower()   # -Q, --DEBUG: click takes options in any case (radio.cli)
    return arg in GLOBAL_FLAGS or (len(arg) > 2 and arg[0] == "-" and arg[1] != "-"
                                   and set(arg[1:]) <= {"q", "v"})
