"""The demo production's generated sounds: jingles and music beds (``music``),
the instruments they are played on (``instruments``), room tone and the
field-recording colour of interviews (``field``).

Used by ``radio init`` and ``tools/make_assets.py``; the build never imports it.
"""
