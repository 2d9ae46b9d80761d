"""The rectification notice's builder for tests/test_print_documents.py (one line in its DOCUMENTS)."""
import datetime

from django.urls import reverse
from django.utils import timezone

from logistics.findings import services

from .conftest import grant


def rectification_notice(users, school):
    inspector = grant(users["safety"], "add_finding", "verify_finding")
    f = services.finding_raise(area="safety", title="灭火器压力不足", description="三楼东侧走廊",
                               location=school["room"], responsible=users["worker"], by=inspector,
                               deadline=timezone.localdate() + datetime.timedelta(days=7))
    # No photo: this test keeps no media folder of its own (the photo rule has its own tests).
    services.finding_fix(finding_id=f.pk, by=users["worker"], note="更换灭火器两具", photo_required=False)
    services.finding_verify(finding_id=f.pk, by=inspector, ok=True, comment="合格")
    return users["worker"], reverse("findings:notice", args=[f.pk]), [
        f.number, "灭火器压力不足", "更换灭火器两具", "张师傅", "吴老师", "合格"]
