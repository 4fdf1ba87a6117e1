"""Output formats."""

OUTPUT_FORMATS = ("full", "concise", "json")
