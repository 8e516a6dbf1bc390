"""radio: Vietnamese radio scripts to loudness-correct programmes and CD images."""
import os

__version__ = "0.1.0"

# numpy's OpenBLAS starts a thread per core that spins for a while after it starts
# (about 0.13 s of CPU per process, taken from the encoder in a build on two cores);
# radio has no matrix work for it to do.  Set here, before anything imports numpy;
# an explicit setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
