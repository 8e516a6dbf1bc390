"""Radio scripts: the model (an immutable Episode) and the parser."""
from .model import Bed, Clip, Episode, Heading, Jingle, Paragraph, Pause, Speaker
from .parser import parse_file, parse_text

__all__ = ["Bed", "Clip", "Episode", "Heading", "Jingle", "Paragraph", "Pause", "Speaker",
           "parse_file", "parse_text"]
