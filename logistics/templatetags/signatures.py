"""The signature lines of printed documents, one style for all: under each role a line to sign and one for the date.

    {% load signatures %}
    {% signatures _("Finance (signature)") _("Principal (signature)") _("School seal") %}
    {% signer _("Checked by (signature)") user=room.checked_by date=room.checked_at as checked %}
    {% signer _("Class teacher / room keeper (signature)") name=room.keeper_name as keeper %}
    {% signatures checked keeper %}

Roles that are empty (a variable a document set only for some routes) are left out."""
from django import template

from logistics.services import display_name

register = template.Library()


@register.simple_tag
def signer(label, name="", date=None, user=None):
    """One role of a document's signature lines, with the name (or the user) and the date when already known."""
    if user and not name:
        name = display_name(user)
    return {"label": label, "name": name or "", "date": date}


@register.inclusion_tag("print/includes/signatures.html")
def signatures(*roles):
    """The signature lines for these roles (labels or signers), in print/includes/signatures.html."""
    return {"roles": [r if isinstance(r, dict) else signer(r) for r in roles if r]}
