"""Result dicts -> JSON with RESULT_SCHEMA conventions: Decimal as canonical strings, dates ISO."""

from __future__ import annotations

import json
import math
from datetime import date
from decimal import Decimal
from typing import Any


def canonical_decimal(value: Decimal) -> str:
    """`Decimal("-0.00")` -> "0.00"; never exponent notation; keeps the printed digits."""
    if value == 0:
        value = abs(value)
    return format(value, "f")


def to_jsonable(obj: Any) -> Any:
    """Convert Decimals, dates, tuples and nested containers into plain JSON values."""
    if isinstance(obj, Decimal):
        return canonical_decimal(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, float):
        return round(obj, 4) if math.isfinite(obj) else None  # NaN/Infinity are not JSON
    return obj


def dumps(result: dict[str, Any], indent: int | None = 2) -> str:
    return json.dumps(to_jsonable(result), indent=indent, ensure_ascii=False)
