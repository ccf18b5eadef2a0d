"""Words -> lines -> columns and tables, from geometry alone."""
