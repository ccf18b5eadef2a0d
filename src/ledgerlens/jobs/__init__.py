"""Durable jobs: the store, the queue, worker processes, webhooks."""
