"""The face of newsarchive: the `newsarchive` command and the runners behind it.

One module per command group (``cli_*``), shared options in ``cli_options``, and
``run`` which wires a crawl to the archive. Everything below (``pipelines``, ``crawler``,
``archive``) is a library that never imports this package; ``mirror`` is used only by
the demo and the ``mirror`` command.
"""
