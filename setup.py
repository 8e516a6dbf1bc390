"""Compile the message catalogs (radio/locale/*/LC_MESSAGES/radio.po -> .mo) whenever
the package is built or installed, editable installs included: the .po files are the
sources kept in git, the .mo files what gettext reads at run time. Everything else is
in setup.cfg."""
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))


class BuildWithCatalogs(build_py):
    def run(self):
        from messages import compile_catalogs   # tools/messages.py (needs Babel)

        compile_catalogs()
        super().run()


setup(cmdclass={"build_py": BuildWithCatalogs})
