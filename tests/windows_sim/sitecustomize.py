"""Loaded by every Python process of a simulated-Windows test run (PYTHONPATH points here).

What Windows lacks and the tool must do without: ``os.fork`` (and the other
fork-based calls) and the POSIX-only modules ``fcntl``, ``termios``, ``pty``,
``grp``, ``pwd`` and ``resource``, whose import fails as it would there.  Each
blocked import is also written to $RADIO_SIM_LOG, so the test sees an attempt
even when the caller swallowed the ImportError.
"""
import os
import sys

BLOCKED = {"fcntl", "termios", "pty", "grp", "pwd", "resource"}

for name in ("fork", "forkpty", "register_at_fork"):
    if hasattr(os, name):
        delattr(os, name)
for name in BLOCKED:
    sys.modules.pop(name, None)


class _Blocker:
    """A meta path finder that refuses the POSIX-only modules."""

    def find_spec(self, name, path=None, target=None):
        if name in BLOCKED:
            log = os.environ.get("RADIO_SIM_LOG")
            if log:
                with open(log, "a", encoding="utf-8") as fh:
                    fh.write(f"{name}\t{_importer()}\n")
            raise ModuleNotFoundError(f"No module named '{name}' (simulated Windows)", name=name)
        return None


def _importer() -> str:
    """The file of the first frame outside the import machinery: who asked."""
    frame = sys._getframe(2)
    while frame and ("importlib" in frame.f_code.co_filename
                     or frame.f_code.co_filename.startswith("<frozen")):
        frame = frame.f_back
    return frame.f_code.co_filename if frame else "?"


sys.meta_path.insert(0, _Blocker())
