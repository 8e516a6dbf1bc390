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
    pass


class Group(_LazyHelp, click.Group):
    command_class = Command


def option(*param_decls: str, **kwargs):
    """``click.option`` whose help is translated when shown."""
    return click.option(*param_decls, cls=Option, **kwargs)
