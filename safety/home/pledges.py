"""What the safety module's pledges area puts on the home page: for the safety officer, one row with this school
year's pledges still to sign (or, in September and October, a reminder to put the year's list together)."""
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from logistics.modules import Row, Section

from ..selectors.pledges import pledge_counts
from ..services.pledges import school_year

# The months the year's pledges are signed in: the list is asked for then.
SIGNING_MONTHS = (9, 10)


def sections(user, now):
    if not user.has_perm("safety.change_pledge"):
        return []
    today = timezone.localdate(now)
    year = school_year(today)
    counts = pledge_counts(year)
    url = f"{reverse('safety:pledge_list')}?year={year}"
    rows = []
    if counts["unsigned"]:
        rows.append(Row(url=f"{url}&state=unsigned", title=_("School year %(year)s–%(next)s")
                        % {"year": year, "next": year + 1},
                        badges=[(ngettext("%(n)s not signed", "%(n)s not signed", counts["unsigned"])
                                 % {"n": counts["unsigned"]}, "b-open")],
                        meta=[_("%(signed)s of %(total)s signed") % counts]))
    elif not counts["total"] and today.month in SIGNING_MONTHS:
        rows.append(Row(url=reverse("safety:pledge_year_create"), title=_("School year %(year)s–%(next)s")
                        % {"year": year, "next": year + 1}, badges=[(_("list not made yet"), "b-open")]))
    return [Section("safety_pledges", _("Responsibility pledges"), rows, order=65)]
