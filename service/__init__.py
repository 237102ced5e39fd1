"""The HTTP service, its settings and the `healthqa` command line."""
