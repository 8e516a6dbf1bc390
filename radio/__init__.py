"""radio: Vietnamese radio scripts to loudness-correct programmes and CD images."""

__version__ = "0.1.0"
