"""ledgerlens: bank statements and invoices into exact structured data, offline."""

__version__ = "0.1.0"
