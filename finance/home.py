"""What finance puts on the home page: purchases to approve, orders to place, goods to accept, invoices
to sign or pay. Declared in FinanceConfig (see logistics.modules); the finance hub shows the same rows."""
from django.urls import reverse

from logistics.modules import Row, Section

from .selectors import fees as fee_selectors
from .selectors import procurement as procurement_selectors
from .selectors import purchases as purchase_selectors

# Every finance section is a decision someone waits for.
ORDER = {"purchases_to_approve": 10, "to_order": 20, "to_accept": 21, "invoices_to_sign": 22, "invoices_to_pay": 23}
# The list behind each section ("show all" on the home page).
MORE = {"purchases_to_approve": "finance:purchase_inbox", "to_order": "finance:purchase_list",
        "to_accept": "finance:purchase_list", "invoices_to_sign": "finance:invoice_list",
        "invoices_to_pay": "finance:invoice_list"}


def _row(d):
    meta = d.get("meta") or []
    return Row(url=d["url"], title=d["title"], meta=[meta] if isinstance(meta, str) else list(meta),
               overdue=bool(d.get("overdue")))


def _sections(raw):
    return [Section(key=s["key"], title=s["title"], rows=[_row(r) for r in s["rows"]], empty=s.get("empty", ""),
                    decision=True, order=ORDER.get(s["key"], 30),
                    more_url=s.get("more_url") or (reverse(MORE[s["key"]]) if s["key"] in MORE else ""))
            for s in raw]


def sections(user, now):
    return _sections(purchase_selectors.waiting_for(user) + procurement_selectors.waiting_for(user)
                     + fee_selectors.aid_waiting_for(user))


def hub_sections(user):
    """The finance hub's sections (shown even when empty, with their empty text)."""
    return _sections(procurement_selectors.waiting_for(user))
