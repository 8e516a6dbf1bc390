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


def headless_chromium(tmp_path_factory, size: str = "1400,1100", extra: tuple = ()):
    """A headless Chromium driven by chromedriver (a generator for a module fixture):
    its own profile, autoplay allowed, *extra* switches (a fake microphone...)."""
    chromium = require_tool("chromium")
    chromedriver = require_tool("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    profile = tmp_path_factory.mktemp("chromium-profile")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                f"--window-size={size}", "--autoplay-policy=no-user-gesture-required",
                *extra):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(10)
    try:
        yield driver
    finally:
        driver.quit()


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
