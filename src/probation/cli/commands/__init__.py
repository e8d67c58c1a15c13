"""One module per command group. Each defines `register(app: typer.Typer) -> None`; main.py
discovers them, so adding a command never edits a shared file."""
