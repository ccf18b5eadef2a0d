"""Tenants and their webhook signing secrets."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledgerlens.jobs.ids import new_uuid
from ledgerlens.jobs.models import Tenant, utcnow


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def get_tenant(session: Session, name: str) -> Tenant | None:
    return session.scalars(select(Tenant).where(Tenant.name == name)).first()


def get_or_create_tenant(session: Session, name: str) -> tuple[Tenant, bool]:
    """The tenant called `name`, created with a fresh webhook secret if new; (tenant, created)."""
    name = name.strip()
    if not name:
        raise ValueError("tenant name must not be empty")
    tenant = get_tenant(session, name)
    if tenant is not None:
        return tenant, False
    tenant = Tenant(id=new_uuid(), name=name, webhook_secret=new_webhook_secret(), created_at=utcnow())
    session.add(tenant)
    session.flush()
    return tenant, True


def rotate_webhook_secret(session: Session, tenant: Tenant) -> str:
    """Replace the secret; deliveries already queued are signed with the new one when sent."""
    tenant.webhook_secret = new_webhook_secret()
    session.flush()
    return tenant.webhook_secret


def list_tenants(session: Session) -> list[Tenant]:
    return list(session.scalars(select(Tenant).order_by(Tenant.created_at)))
