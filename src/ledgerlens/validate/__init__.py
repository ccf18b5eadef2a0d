"""Self-checks: balance chains for statements, arithmetic for invoices."""
