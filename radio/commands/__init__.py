"""The work behind the commands, one module per command family.

``radio/cli.py`` parses options and calls one function here: ``check``
(``radio check``), ``speech`` (``normalize``, ``say``, ``voices``), ``takes``,
``disc`` (``disc``, ``verify``), ``convert`` and ``init``.  ``radio build`` and
``radio preview`` call ``radio.pipeline.build`` and ``radio.preview`` directly.
"""
