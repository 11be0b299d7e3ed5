"""What crosses apps, written as explicit functions on the top layer (no signals)."""
