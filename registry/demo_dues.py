"""Demo 党费: bases for most members, payments monthly, quarterly or half-yearly, some arrears, some paying at home."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

from registry.rules import dues as rules
from registry.storage.database import Tx


def _month_after(joined: str | None, first: str) -> str:
    return max(first, (joined or "")[:7])


def fill_demo_dues(tx: Tx, today: date, person_ids: list[int], rows: list[dict[str, Any]], seed: int) -> None:
    """Written inside the demo's transaction with its own random numbers (the rest of the demo stays as it was)."""
    rng = random.Random(seed * 31 + 7)
    last = rules.last_complete_month(today)
    first = f"{today.year - 1 if today.month <= 2 else today.year:04d}-01"
    for pid, r in zip(person_ids, rows, strict=True):
        if r["category"] not in ("预备党员", "正式党员") or rng.random() < 0.15:
            continue  # 未登记党费基数: a few left for the secretary to register
        start = _month_after(r.get("joined_on"), first)
        if r.get("relation") == "流入" and rng.random() < 0.7:
            tx.insert("dues_bases", {"person_id": pid, "from_month": start, "pays_at": rules.PAYS_HOME,
                                     "notes": "持流动党员活动证，在原籍党组织交纳（演示）"}, label=r["name"])
            continue
        draw = rng.random()
        payer_class = "在职" if draw < 0.8 else "灵活就业" if draw < 0.95 else "下岗失业"
        base = Decimal(rng.randrange(28, 95) * 100) if payer_class != "下岗失业" else None
        amount = rules.monthly_amount(payer_class, base)
        tx.insert("dues_bases", {"person_id": pid, "from_month": start, "payer_class": payer_class,
                                 "base": rules.money_text(base) or None, "amount": rules.money_text(amount),
                                 "pays_at": rules.PAYS_AT[0]}, label=r["name"])
        if start > last:
            continue
        owed = rules.months(start, last)
        behind = 0 if rng.random() < 0.8 else rng.choice((1, 2, 3, 4, 7))  # months left unpaid at the end
        paid = owed[:max(0, len(owed) - behind)]
        step = rng.choice((1, 3, 3, 6))  # monthly, quarterly or half-yearly
        for i in range(0, len(paid), step):
            chunk = paid[i:i + step]
            # Paid within the chunk's last month (a quarter's dues in its third month), never after today.
            paid_on = min(today, date(int(chunk[-1][:4]), int(chunk[-1][5:]), rng.randrange(1, 29)))
            tx.insert("dues_payments", {"person_id": pid, "first_month": chunk[0], "last_month": chunk[-1],
                                        "paid_on": paid_on.isoformat(), "amount": rules.money_text(amount * len(chunk))},
                      label=r["name"])
