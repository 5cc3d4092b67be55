"""The `jixiao` command line."""
