"""Documents -> results: statements, invoices, the classifier and value parsers."""
