"""The build and its stages, in the order `build` runs them.

``prepare`` (script -> Episode -> every paragraph and recording as a Source),
``sources`` (the cached, decoded sources: speech and recordings), ``plan``
(Sources -> Timeline in frames), ``mix`` (Timeline -> programme blocks),
then ``outputs`` (one ``Mastering`` job: ``radio.audio.master`` into the WAV
and the MP3) and ``radio.targets.report`` (report, cue sheet).  ``options``
holds what a build is asked for, resolved once; ``check`` is the build's dry
run (``radio check``).  Only ``build`` knows the order.

This package imports nothing at import time: its modules are imported by name.
"""
