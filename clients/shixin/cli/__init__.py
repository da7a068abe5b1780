"""The ``shixin`` command line."""
