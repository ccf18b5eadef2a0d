"""HTTP only: routers per resource, the envelope, auth."""
