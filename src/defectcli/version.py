"""The package's version, in a module of its own so any layer can read it (the index
stamp, the datasette metadata, ``--version``) without importing the package's face."""

__version__ = "1.0.0"
