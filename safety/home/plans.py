"""What the safety module's plans area puts on the home page: for the safety officer and the principal, the
emergency plans past their review date and those due for review within the settings' days."""
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from logistics import roles
from logistics.modules import Row, Section
from logistics.roles import has_role

from ..selectors.plans import plans_to_review, review_warning_days


def _row(plan, today):
    days = (plan.next_review - today).days
    if days < 0:
        badge = (_("review overdue since %(date)s") % {"date": f"{plan.next_review:%Y-%m-%d}"}, "b-overdue")
    else:
        badge = (ngettext("review in %(n)s day", "review in %(n)s days", days) % {"n": days}, "b-open")
    return Row(url=reverse("safety:emergencyplan_detail", args=[plan.pk]), title=plan.title, badges=[badge],
               meta=[_("version %(label)s") % {"label": plan.version_label}], overdue=days < 0)


def sections(user, now):
    if not (user.has_perm("safety.change_emergencyplan") or
            (user.has_perm("safety.view_emergencyplan") and has_role(user, roles.PRINCIPAL))):
        return []
    today = timezone.localdate(now)
    plans = list(plans_to_review(today, review_warning_days())[:20])
    return [Section("safety_plans_review", _("Emergency plans to review"), [_row(p, today) for p in plans],
                    order=60, more_url=f"{reverse('safety:emergencyplan_list')}?review=due")]
