"""Results -> RESULT_SCHEMA JSON."""
