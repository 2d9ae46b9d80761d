"""What modules add to a finding's page through the contract (Module.finding_links: linked records and moves, the
kernel naming no module), who reads a finding (also the person who found it, read only), and raising on a module's
own permission (finding_raise(permission=…)) while the raise-by-hand page needs view_finding too."""
import datetime

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from logistics.findings import services
from logistics.models import Finding
from logistics.modules import Link, finding_links

from .conftest import grant, raise_one

pytestmark = pytest.mark.usefixtures("english", "english_pages")


def test_modules_add_linked_records_and_moves_to_a_findings_page(people, school, client, monkeypatch):
    f = raise_one(people, school)
    seen = []

    def links(finding, user):
        seen.append((finding.pk, user.pk))
        return [Link("Work order 7", "/somewhere/7/", "done on 2026-11-20"), Link("Unreadable record"),
                Link("Do something", "/do/7/", "if it helps", action=True)]

    monkeypatch.setattr(apps.get_app_config("canteen"), "finding_links", links)
    # Only this fake contributes here (safety would offer its own "Open a repair" for a hazard still to fix).
    monkeypatch.setattr(apps.get_app_config("safety"), "finding_links", None)
    client.force_login(people["worker"])
    html = client.get(reverse("findings:detail", args=[f.pk])).content.decode()
    shown = html.split('data-testid="finding-links"', 1)[1].split("</dd>", 1)[0]
    assert '<a href="/somewhere/7/">Work order 7</a>' in shown and "done on 2026-11-20" in shown
    assert "Unreadable record" in shown and "<a href=\"\"" not in shown
    actions = html.split('data-testid="module-actions"', 1)[1].split("</p>", 1)[0]
    assert 'href="/do/7/"' in actions and "Do something" in actions
    assert seen == [(f.pk, people["worker"].pk)]
    records, moves = finding_links(f, people["worker"])
    assert [x.label for x in records] == ["Work order 7", "Unreadable record"] and [x.label for x in moves] == [
        "Do something"]


def test_a_finding_with_nothing_linked_shows_no_linked_records(people, school, client):
    f = raise_one(people, school, area="canteen")
    client.force_login(people["inspector"])
    html = client.get(reverse("findings:detail", args=[f.pk])).content.decode()
    assert 'data-testid="finding-links"' not in html and 'data-testid="module-actions"' not in html


def test_the_person_who_found_it_reads_it_without_any_move(people, school, client):
    f = services.finding_raise(area="safety", title="楼梯扶手松动", responsible=people["worker"], by=people["teacher"],
                               deadline=timezone.localdate() + datetime.timedelta(days=3),
                               permission="assets.add_repairrequest")
    assert Finding.objects.visible_to(people["teacher"]).filter(pk=f.pk).exists()
    client.force_login(people["teacher"])
    html = client.get(reverse("findings:detail", args=[f.pk])).content.decode()
    assert "楼梯扶手松动" in html and "Nothing for you to do here." in html
    for move in ("fix", "verify", "reassign", "extend", "notice"):
        assert reverse(f"findings:{move}", args=[f.pk]) not in html
    assert client.post(reverse("findings:verify", args=[f.pk]), {"version": 1, "ok": "yes"}).status_code == 403


def test_raising_on_a_modules_own_permission_still_checks_it(people, school):
    due = timezone.localdate() + datetime.timedelta(days=3)
    with pytest.raises(PermissionDenied):
        services.finding_raise(area="safety", title="x", responsible=people["worker"], by=people["teacher"],
                               deadline=due)
    with pytest.raises(PermissionDenied):
        services.finding_raise(area="safety", title="x", responsible=people["worker"], by=people["teacher"],
                               deadline=due, permission="logistics.verify_finding")
    assert not Finding.objects.exists()


def test_the_raise_by_hand_page_needs_view_finding_as_well_as_add_finding(people, client):
    adder = grant(people["teacher"], "add_finding")
    client.force_login(adder)
    assert client.get(reverse("findings:new")).status_code == 403
    assert reverse("findings:new") not in client.get(reverse("findings:list")).content.decode()
