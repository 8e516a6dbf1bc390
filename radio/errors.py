"""One exception root for everything the user should see as a plain message.

Exit codes: 0 ok, 1 build failed, 2 bad input or usage.  User errors print one
line per problem (``file:line: message — hint``) and no traceback; ``--debug``
shows the traceback.  The root is the project's own (no command-line library
here): ``radio.cli.main`` turns it into output and an exit code.

A message and its hint are :class:`~radio.i18n.Message` objects (``_l("...",
name=...)``): the error keeps the message id and its named parameters, and is
translated when it is shown, by the CLI or the studio, each in its user's language.
A plain ``str`` is shown as it is.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .i18n import Message, _l

Text = str | Message   # a message or hint: plain text, or translated when shown

USAGE = 2
BUILD = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file, located by file and line."""

    message: Text
    path: str | None = None
    line: int | None = None
    hint: Text | None = None
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return one_line(text)


def message_of(exc: BaseException) -> Text:
    """The message an exception was raised with, still untranslated when it was raised
    with ``_l()`` (``raise ValueError(_l(...))``), so that it is shown in its reader's
    language; any other exception's text as it is."""
    if isinstance(exc, RadioError):
        return exc.problem.message
    if exc.args and isinstance(exc.args[0], Message):
        return exc.args[0]
    return str(exc)


def os_reason(exc: OSError) -> Text:
    """Why the system refused, in the reader's language (the C library says it in English)."""
    import errno

    reasons = {
        errno.EACCES: _l("Permission denied"), errno.EPERM: _l("Operation not permitted"),
        errno.ENOENT: _l("No such file or directory"), errno.ENOSPC: _l("No space left on device"),
        errno.EROFS: _l("Read-only file system"), errno.EISDIR: _l("Is a directory"),
        errno.ENOTDIR: _l("Not a directory"), errno.ELOOP: _l("Too many levels of symbolic links"),
        errno.EIO: _l("Input/output error"), errno.ENAMETOOLONG: _l("File name too long"),
        errno.EBUSY: _l("Device or resource busy"),
    }
    return reasons.get(exc.errno) or exc.strerror or str(exc)


def one_line(text: str) -> str:
    """*text* with control characters and line breaks shown as escapes (\\n, \\x00),
    so that a problem quoting a strange input stays on its one line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in text)


class RadioError(Exception):
    """Root of every error the tool reports to its user."""

    exit_code = BUILD
    category = "error"

    def __init__(self, message: Text, *, path: str | Path | None = None,
                 line: int | None = None, hint: Text | None = None):
        self.problem = Problem(message, str(path) if path else None, line, hint)
        Exception.__init__(self, message)

    @property
    def message(self) -> str:
        """The problem in the current language (rendered each time it is read)."""
        return str(self.problem)

    def format_message(self) -> str:
        """The text shown to the user: one line per problem."""
        return self.message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):
        # Errors raised in a parallel build's worker process travel back pickled.
        p = self.problem
        return (_rebuild, (type(self), p.message, p.path, p.line, p.hint))


class UserError(RadioError):
    """Bad input or usage: the user can fix it (exit 2)."""

    exit_code = USAGE
    category = "input"


class BuildError(RadioError):
    """The build itself failed: a tool crashed, the disk is full... (exit 1)."""

    exit_code = BUILD
    category = "build"


class ProblemsError(UserError):
    """Several problems collected from one or more inputs, reported together."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"]
        Exception.__init__(self, *self.problems)
        self.problem = self.problems[0] if self.problems else Problem("no problem")

    @property
    def message(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def __reduce__(self):
        return (ProblemsError, (self.problems,))


def _rebuild(cls, message, path, line, hint):
    return cls(message, path=path, line=line, hint=hint)


def raise_if_errors(problems: list[Problem]) -> None:
    """Abort once with every error in *problems* (warnings are ignored here)."""
    if any(p.severity == "error" for p in problems):
        raise ProblemsError(problems)
