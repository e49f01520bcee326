"""Document text (or a YAML plan) -> plan model. Public entry point: parse_file."""
