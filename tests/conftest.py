"""Shared test helpers.

A test that needs an optional tool (cd-info, bchunk, xorriso, chromium...) calls
``require_tool("name")``: it skips with the reason when the tool is missing,
and under CI (``CI=true``) a missing tool is a failure instead, because CI
installs every such tool.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOTS = Path(__file__).parent / "roots"
REPO = Path(__file__).resolve().parent.parent


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (Debian package providing it; .ci/run installs it)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must have {name}: {message}")
    pytest.skip(message)


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


@pytest.fixture
def copy_root(tmp_path):
    """Copy a fixture production from tests/roots/<name> into a temporary folder."""

    def _copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(ROOTS / name, target)
        return target

    return _copy


@pytest.fixture(scope="session")
def example_assets(tmp_path_factory) -> Path:
    """The small assets `radio init` makes (a jingle, a bed, an interview), once per run."""
    from radio.commands.init import make_example_assets

    folder = tmp_path_factory.mktemp("assets") / "audio_assets"
    make_example_assets(folder)
    return folder


@pytest.fixture
def production(tmp_path, example_assets):
    """A copy of tests/roots/mini with the example assets, ready to build."""
    target = tmp_path / "mini"
    shutil.copytree(ROOTS / "mini", target)
    shutil.copytree(example_assets, target / "audio_assets")
    return target
