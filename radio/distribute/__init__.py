"""Distribution: a package for every station (IP systems, CD stations, provinces),
printable labels, the broadcast schedule and the dispatch list."""
from .dispatch import copy_assigner
from .run import Request, Result, run_distribute

__all__ = ["Request", "Result", "copy_assigner", "run_distribute"]
