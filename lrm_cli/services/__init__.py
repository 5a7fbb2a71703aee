"""Use cases in plain Python: no typer, no rich. They raise LrmError subclasses."""
