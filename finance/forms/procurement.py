"""Forms of ordering, acceptance, invoices and the ledger. They validate input; services change state."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.models import AssetCategory, SupplyItem
from logistics.forms import DateInput, DocumentField, LocationChoiceField, MoneyField, VersionForm
from logistics.services import display_name

from ..models import BudgetLine, Invoice, LedgerEntry, PurchaseItem

User = get_user_model()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


def _people():
    return User.objects.filter(is_active=True).order_by("first_name", "username")


class OrderForm(VersionForm):
    """Vendor, date, purchasers and one actual unit price per item (fields price_<item pk>)."""

    vendor = forms.CharField(label=_("Vendor"), max_length=120)
    ordered_on = forms.DateField(label=_("Ordered on"), widget=DateInput())
    purchaser = UserChoiceField(label=_("Purchaser"), queryset=User.objects.none())
    second_purchaser = UserChoiceField(label=_("Second purchaser (双人采购)"), queryset=User.objects.none(),
                                       required=False)

    def __init__(self, *args, items=(), quoted_prices=None, **kwargs):
        """quoted_prices: {item pk: unit price} from the chosen quote, which the prices start from."""
        super().__init__(*args, **kwargs)
        self.items = list(items)
        quoted_prices = quoted_prices or {}
        self.fields["purchaser"].queryset = _people()
        self.fields["second_purchaser"].queryset = _people()
        for item in self.items:
            quoted = quoted_prices.get(item.pk)
            self.fields[f"price_{item.pk}"] = MoneyField(
                label=_("Unit price of %(item)s (yuan)") % {"item": item.name},
                initial=item.actual_unit_price or quoted or item.estimated_unit_price,
                help_text=(_("From the chosen quote; the estimate was %(price)s.")
                           % {"price": item.estimated_unit_price} if quoted is not None and not item.actual_unit_price
                           else ""))

    def price_fields(self):
        return [(item, self[f"price_{item.pk}"]) for item in self.items]

    def prices(self):
        return {item.pk: self.cleaned_data.get(f"price_{item.pk}") for item in self.items}


class AcceptForm(VersionForm):
    """Accepted quantity per item (qty_<pk>); for asset items their category (category_<pk>) and where
    they will be (location_<pk>); for supplies the stock item they go into (supply_<pk>)."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"qty_{item.pk}"] = forms.IntegerField(
                label=_("Accepted quantity of %(item)s") % {"item": item.name}, min_value=0,
                max_value=item.quantity, initial=item.quantity)
            if item.kind == PurchaseItem.Kind.ASSET:
                self.fields[f"category_{item.pk}"] = forms.ModelChoiceField(
                    label=_("Asset category of %(item)s") % {"item": item.name},
                    queryset=AssetCategory.objects.order_by("code", "name"), required=False,
                    initial=item.asset_category_id)
                self.fields[f"location_{item.pk}"] = LocationChoiceField(
                    label=_("Where %(item)s will be") % {"item": item.name}, required=False,
                    initial=item.location_id)
            elif item.kind == PurchaseItem.Kind.SUPPLY:
                self.fields[f"supply_{item.pk}"] = forms.ModelChoiceField(
                    label=_("Stock item for %(item)s") % {"item": item.name}, required=False,
                    queryset=SupplyItem.objects.filter(active=True), initial=item.supply_item_id)

    def _bound(self, name):
        return self[name] if name in self.fields else None

    def rows(self):
        return [(item, self[f"qty_{item.pk}"], self._bound(f"category_{item.pk}"),
                 self._bound(f"location_{item.pk}"), self._bound(f"supply_{item.pk}"))
                for item in self.items]

    def _chosen(self, prefix):
        return {item.pk: self.cleaned_data.get(f"{prefix}_{item.pk}") for item in self.items
                if self.cleaned_data.get(f"{prefix}_{item.pk}") is not None}

    def locations(self):
        return self._chosen("location")

    def supply_items(self):
        return self._chosen("supply")

    def quantities(self):
        return {item.pk: self.cleaned_data.get(f"qty_{item.pk}") for item in self.items}

    def categories(self):
        return {item.pk: self.cleaned_data.get(f"category_{item.pk}") for item in self.items
                if self.cleaned_data.get(f"category_{item.pk}") is not None}


class InvoiceForm(forms.ModelForm):
    attachment = DocumentField(label=_("Invoice (file)"), required=False,
                               help_text=_("A PDF or a photo of the invoice."))

    class Meta:
        model = Invoice
        fields = ["number", "issued_on", "amount", "attachment"]
        widgets = {"issued_on": DateInput()}

    def clean_number(self):
        return self.cleaned_data["number"].strip()

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount


class SignForm(VersionForm):
    role = forms.ChoiceField(label=_("Sign as"), error_messages={"required": _("Choose as whom you sign."),
                                                                 "invalid_choice": _("Choose as whom you sign.")},
                             choices=[("handler", _("Handler (经手人)")), ("receiver", _("Receiver (验收人)")),
                                      ("auditor", _("Auditor (审核人)"))])


class PayForm(VersionForm):
    voucher_number = forms.CharField(label=_("Voucher number"), max_length=40,
                                     error_messages={"required": _("Give the voucher number of the payment.")})


class LedgerEntryForm(forms.ModelForm):
    class Meta:
        model = LedgerEntry
        fields = ["date", "direction", "category", "amount", "description", "budget_line", "voucher_number"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Money moved on other pages (invoices, fees, aid, compensation) enters the ledger by itself.
        self.fields["category"].choices = [c for c in LedgerEntry.Category.choices
                                           if c[0] not in LedgerEntry.POSTED]
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(active=True)
        self.fields["date"].initial = timezone.localdate


class LedgerFilterForm(forms.Form):
    month = forms.CharField(label=_("Month"), required=False,
                            widget=forms.DateInput(attrs={"type": "month"}))
    direction = forms.ChoiceField(label=_("Income or expense"), required=False,
                                  choices=[("", _("All"))] + LedgerEntry.Direction.choices)
    category = forms.ChoiceField(label=_("Category"), required=False,
                                 choices=[("", _("All"))] + LedgerEntry.Category.choices)
    budget_line = forms.ModelChoiceField(label=_("Budget line"), required=False,
                                         queryset=BudgetLine.objects.all())

    def clean_month(self):
        return parse_month(self.cleaned_data.get("month"))


def parse_month(value):
    """'2026-11' → date(2026, 11, 1); empty → None; anything else → a form error."""
    import datetime

    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise forms.ValidationError(_("Give the month as YYYY-MM, e.g. 2026-11.")) from None
