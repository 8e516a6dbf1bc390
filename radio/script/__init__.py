"""Radio scripts: the model (an immutable Episode) and the parser."""
from .model import Bed, Clip, Episode, Heading, Jingle, Paragraph, Pause, Pending, Speaker
from .parser import parse_file, parse_text

__all__ = ["Bed", "Clip", "Episode", "Heading", "Jingle", "Paragraph", "Pause", "Pending", "Speaker",
           "parse_file", "parse_text"]
