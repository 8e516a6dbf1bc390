"""click with help texts translated when shown, not when the module is imported.

click evaluates ``help=`` (and the docstrings it takes as help) at import, before the
interface language is known. These classes keep the :class:`~radio.i18n.Message`
given as help and translate it each time help is shown; click's own sentences
("Usage:", "Show this message and exit.", "No such option") come from our catalog
through gettext's global domain (:func:`radio.i18n.interface`).
"""
from __future__ import annotations

import inspect

import click

from .i18n import Message, _


class _LazyHelp:
    """``help`` as a property: the message is stored, its translation is read."""

    @property
    def help(self) -> str | None:
        """Translated now: a Message (``_l``), or a plain help text or docstring, whose
        cleaned-up text is its message id (tools/messages.py extracts those from the
        click decorators and docstrings)."""
        text = self._help_message
        if not text:
            return None
        return inspect.cleandoc(str(text)) if isinstance(text, Message) else _(
            inspect.cleandoc(text))

    @help.setter
    def help(self, value) -> None:
        self._help_message = value


class Option(_LazyHelp, click.Option):
    def __init__(self, *args, help=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.help = help


class Command(_LazyHelp, click.Command):
    def parse_args(self, ctx, args):
        return super().parse_args(ctx, expand_abbreviations(self, ctx, args))


def expand_abbreviations(command: click.Command, ctx, args: list[str]) -> list[str]:
    """*args* with each long option written as the start of exactly one of *command*'s
    (``--pre broadcast``, ``--al``) written whole, as argparse takes them; a start that
    two options share is left for click to refuse, with both named."""
    names = [name for param in command.get_params(ctx) if isinstance(param, click.Option)
             for name in (*param.opts, *param.secondary_opts) if name.startswith("--")]
    expanded = []
    for index, arg in enumerate(args):
        if arg == "--":
            return expanded + args[index:]
        head, equals, value = arg.partition("=")
        if ctx.token_normalize_func and head.startswith("--"):   # --PRESET as --preset
            head = ctx.token_normalize_func(head)
        if head.startswith("--") and len(head) > 3 and head not in names:
            starting = [name for name in names if name.startswith(head)]
            if len(starting) == 1:
                arg = starting[0] + equals + value
        expanded.append(arg)
    return expanded


class Group(_LazyHelp, click.Group):
    command_class = Command

    def resolve_command(self, ctx, args):
        """A command also by the start of its name while no other starts so (``radio
        pub``), and a misspelt one answered with the closest (``radio biuld``)."""
        if args and not args[0].startswith("-"):
            typed = args[0].lower()
            names = self.list_commands(ctx)
            starting = [name for name in names if name.startswith(typed)]
            if typed not in names and len(typed) >= 3 and len(starting) == 1:
                args = [starting[0], *args[1:]]
            elif typed not in names:
                import difflib

                near = difflib.get_close_matches(typed, names, n=1, cutoff=0.6)
                if near:
                    ctx.fail(_("No such command '{name}' — did you mean '{near}'?",
                               name=args[0], near=near[0]))
        return super().resolve_command(ctx, args)


def option(*param_decls: str, **kwargs):
    """``click.option`` whose help is translated when shown."""
    return click.option(*param_decls, cls=Option, **kwargs)
