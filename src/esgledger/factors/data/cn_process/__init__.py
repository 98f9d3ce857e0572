"""Factor data (YAML). A package only so that setuptools ships the YAML files with it."""
