"""What the safety module puts on the home page while its area is being built: a note for its people.
Declared in SafetyConfig (see logistics.modules). Their everyday work (repairs, supplies, printing) comes
from the other modules like everyone's."""
from django.utils.translation import gettext as _

from logistics import roles
from logistics.modules import note_panel


def panels(user, now):
    return note_panel(user, roles.SAFETY, "safety_coming", _("Safety"), _(
        "Inspections and hazards, emergency drills, duty rosters, school vehicles and responsibility "
        "pledges are coming to this app. Until then you can report a repair, ask for supplies and send "
        "print jobs here."))
