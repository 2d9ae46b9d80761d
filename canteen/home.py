"""What the canteen puts on the home page (declared in CanteenConfig, see logistics.modules).

The canteen manager: what is still to do today (samples, disinfection, accompanied meal, morning checks),
samples due for discard, certificates and licences expiring, findings to fix. The head and the principal
(the person responsible for food safety): what was missing once a meal had ended, the canteen's findings to
verify, the inspections waiting for them. Everything links to where it is done."""
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from logistics import roles
from logistics.modules import Row, Section
from logistics.roles import has_role

from .selectors import meals, staff, suppliers
from .selectors.today import inspections_waiting


def _missing_badges(status):
    badges = []
    if status.samples_missing:
        badges.append((_("samples missing"), "b-overdue"))
    if status.disinfection_missing:
        badges.append((_("disinfection missing"), "b-overdue"))
    if status.accompanied_missing:
        badges.append((_("no accompanied meal"), "b-overdue"))
    return badges


def _meal_row(status):
    dishes = pgettext("between list items", ", ").join(status.missing_samples)
    detail = [_("Not sampled: %(dishes)s") % {"dishes": dishes}] if status.missing_samples else []
    return Row(url=status.url, title=f"{status.date:%m-%d} {status.label}", badges=_missing_badges(status),
               detail=detail, overdue=True)


def _today_rows(now, user):
    """The manager's rows for today: each meal's open tasks, then the morning checks."""
    day = timezone.localdate(now)
    rows = []
    for m in meals.day_status(day, now):
        if not m.served or not (m.dishes or m.samples):
            continue
        todo = []
        if m.missing_samples:
            todo.append((ngettext("%(n)s dish to sample", "%(n)s dishes to sample", len(m.missing_samples))
                         % {"n": len(m.missing_samples)}, "b-overdue" if m.ended else "b-open"))
        if not m.disinfections:
            todo.append((_("disinfection"), "b-overdue" if m.disinfection_missing else "b-open"))
        if m.accompanied_expected and not m.accompanied:
            todo.append((_("accompanied meal"), "b-overdue" if m.accompanied_missing else "b-open"))
        if todo:
            rows.append(Row(url=m.url, title=m.label, badges=todo, overdue=m.anything_missing,
                            meta=[_("ends %(time)s") % {"time": timezone.localtime(m.ends_at).strftime("%H:%M")}]))
    checks = staff.checks_status(day)
    if checks.to_check and (staff.is_school_day(day) or checks.checked):
        rows.append(Row(url=reverse("canteen:checks_today"), title=_("Morning checks (晨检)"),
                        badges=[(ngettext("%(n)s person to check", "%(n)s people to check", len(checks.to_check))
                                 % {"n": len(checks.to_check)}, "b-open")],
                        detail=[pgettext("between list items", ", ").join(r.staff.name for r in checks.to_check[:8])]))
    for r in checks.off_duty:
        rows.append(Row(url=reverse("canteen:staff_detail", args=[r.staff.pk]), title=r.staff.name,
                        badges=[(_("off kitchen duty"), "b-overdue")], detail=[r.reason_text]))
    return rows


def sections(user, now):
    now = now or timezone.now()
    result = []
    day = timezone.localdate(now)
    keeps_logs = user.has_perm("canteen.add_sample")
    reads = user.has_perm("canteen.view_meal")
    if keeps_logs:
        result.append(Section(
            "canteen_today", _("The canteen today"), _today_rows(now, user), decision=True, order=5,
            empty=_("Everything for today's meals is logged."), show_empty=True,
            more_url=reverse("canteen:today"),
            actions=[(reverse("canteen:today"), pgettext_lazy("home action", "Open the day"))]))
        due = list(meals.samples_due(now)[:20])
        result.append(Section(
            "canteen_samples_due", _("Samples due for discard"),
            [Row(url=reverse("canteen:sample_discard_due"), title=f"{s.meal.date:%m-%d} {s.meal.get_kind_display()}"
                 f" · {s.dish}", detail=[f"{s.grams} g"]) for s in due],
            order=20, more_url=reverse("canteen:sample_discard_due")))
        expiring = [Row(url=reverse("canteen:staff_detail", args=[w.staff.pk]),
                        title=f"{w.staff.name} · {_('health certificate')}",
                        badges=[(_("expired") if w.expired else (ngettext("%(n)s day left", "%(n)s days left",
                                                                          w.days_left) % {"n": w.days_left}),
                                 "b-overdue" if w.expired else "b-open")], overdue=w.expired)
                    for w in staff.certificates_expiring(day)]
        expiring += [Row(url=reverse("canteen:supplier_detail", args=[e.supplier.pk]),
                         title=f"{e.supplier.name} · {e.title}",
                         badges=[(_("expired") if e.expired else (ngettext("%(n)s day left", "%(n)s days left",
                                                                           e.days_left) % {"n": e.days_left}),
                                  "b-overdue" if e.expired else "b-open")], overdue=e.expired)
                     for e in suppliers.licences_expiring(day)]
        result.append(Section("canteen_expiring", _("Certificates and licences expiring"), expiring, order=25))
    if keeps_logs or (reads and has_role(user, roles.LOGISTICS_HEAD, roles.PRINCIPAL)):
        # For the manager a meal of today already in "the canteen today" is shown there once (same page).
        missing = [_meal_row(s) for s in meals.missing_after_meals(now, days=7)]
        result.append(Section("canteen_missing", _("Canteen: missing after meals"), missing, order=30,
                              more_url=reverse("canteen:today")))
    waiting = inspections_waiting(user, day)
    if waiting["inspections"]:
        result.append(Section(
            "canteen_inspections", _("Canteen inspections to do"),
            [Row(url=reverse("canteen:inspection_detail", args=[i.pk]), title=i.checklist.title,
                 meta=[f"{i.due_date:%m-%d}"], overdue=i.due_date < day) for i in waiting["inspections"]],
            decision=True, order=15))
    if waiting["fix"]:
        result.append(Section(
            "canteen_fix", _("Canteen findings to fix"),
            [Row(url=reverse("findings:detail", args=[f.pk]), title=f.title, meta=[f.number],
                 badges=[(_("by %(date)s") % {"date": f"{f.deadline:%m-%d}"},
                          "b-overdue" if f.deadline < day else "b-open")], overdue=f.deadline < day)
             for f in waiting["fix"]], decision=True, order=16))
    if waiting["verify"]:
        result.append(Section(
            "canteen_verify", _("Canteen fixes to verify"),
            [Row(url=reverse("findings:detail", args=[f.pk]), title=f.title, meta=[f.number])
             for f in waiting["verify"]], decision=True, order=17))
    return result
