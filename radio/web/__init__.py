"""`radio publish`: the portal's static site and the podcast feed, from the build."""
from .publish import publish

__all__ = ["publish"]
