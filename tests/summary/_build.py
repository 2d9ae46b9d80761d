"""Builders for the summary's tests: repairs through the assets services, summaries through the summary's."""
import datetime
import uuid
from decimal import Decimal

from django.utils import timezone

from assets import services as asset_services
from assets.models import RepairRequest
from logistics.summary import services

D = datetime.timedelta(days=1)
H = datetime.timedelta(hours=1)


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def fixed_repair(users, school, *, cost, when=None, category="lighting", title="灯管不亮"):
    """A repair reported (at when, default now), assigned, started and marked done through the services."""
    repair = asset_services.repair_report(reporter=users["teacher"], category=category, location=school["room"],
                                          title=title, now=when)
    asset_services.repair_assign(request_id=repair.pk, by=users["head"], assignee=users["worker"])
    asset_services.repair_start(request_id=repair.pk, worker=users["worker"])
    asset_services.repair_complete(request_id=repair.pk, worker=users["worker"], work_done="换了灯管",
                                   cost=Decimal(cost))
    return RepairRequest.objects.get(pk=repair.pk)


def open_repair(users, school, *, when=None, category="plumbing", title="水龙头漏水"):
    """A repair reported (at when, default now) and not yet assigned."""
    return asset_services.repair_report(reporter=users["teacher"], category=category, location=school["room"],
                                        title=title, now=when)


def earlier_repair(users, school, earlier, *, cost):
    """A repair of the term before, reported and fixed then (the services stamp the times of now, so the
    record is written as it stands afterwards, like tests/assets/test_term_figures_more.py)."""
    reported = at(earlier.start + 10 * D)
    return RepairRequest.objects.create(
        number=f"WX-T-{uuid.uuid4().hex[:8]}", category="lighting", location=school["room"], title="旧灯管",
        status=RepairRequest.Status.CONFIRMED, reporter=users["teacher"], reported_at=reported,
        due_at=reported + 72 * H, assignee=users["worker"], completed_at=reported + 5 * H, cost=Decimal(cost))


def started(term, users):
    return services.start(term, users["head"])


def fresh(summary):
    return type(summary).objects.get(pk=summary.pk)


def submitted(term, users):
    summary = started(term, users)
    return services.submit(summary.pk, users["head"], version=summary.version)


def signed(term, users):
    summary = submitted(term, users)
    return services.sign(summary.pk, users["principal"], version=summary.version)
