"""The `probation` command line (typer)."""
