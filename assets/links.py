"""What assets adds to a finding's page (declared in AssetsConfig.finding_links, see logistics.modules): the repairs
opened for it, each linked for those who may read it, with its status. A repair done does not close the finding:
its responsible person still records the fix (with a photo), and someone else verifies it."""
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.modules import Link

from .models import RepairRequest

DONE = (RepairRequest.Status.DONE, RepairRequest.Status.CONFIRMED)


def finding_links(finding, user):
    """[Link] of the repairs opened for this finding, oldest first (one query)."""
    reads_all = user.has_perm("assets.view_repairrequest")
    links = []
    for repair in RepairRequest.objects.filter(finding=finding).order_by("reported_at", "pk"):
        label = _("Repair %(number)s: %(title)s") % {"number": repair.number, "title": repair.title}
        url = reverse("assets:repair_detail", args=[repair.pk]) if reads_all or repair.reporter_id == user.pk else ""
        if repair.status in DONE and repair.completed_at:
            detail = _("done on %(date)s") % {"date": f"{timezone.localdate(repair.completed_at):%Y-%m-%d}"}
            if finding.can_fix:
                detail = _("%(done)s; the fix is still recorded here by the person responsible") % {"done": detail}
        else:
            detail = repair.get_status_display()
        links.append(Link(label=label, url=url, detail=detail))
    return links
