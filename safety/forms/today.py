"""Safety: the hub's forms (the ledger's term picker)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from logistics.models import Term


class LedgerTermForm(forms.Form):
    """Which term's ledger to show (empty: the current term)."""

    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.order_by("-start"), required=False,
                                  empty_label=_("— the current term —"))
