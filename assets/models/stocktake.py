"""Room-by-room stocktakes (清查): term-start registration and term-end re-check, signed per room."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from logistics.models import Location, Term

from .register import Asset


class Stocktake(models.Model):
    """A stocktake of the school or of some rooms."""

    class Kind(models.TextChoices):
        TERM_START = "term_start", _("Term-start registration")
        TERM_END = "term_end", _("Term-end re-check")
        SPOT = "spot", _("Spot check")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TERM_END)
    term = models.ForeignKey(Term, verbose_name=_("term"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="stocktakes")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        permissions = [("open_stocktake", _("Can open and close stocktakes"))]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class StocktakeRoom(models.Model):
    """One room's sheet in a stocktake: checked on a phone, then signed by the room keeper and logistics."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not checked yet")
        CHECKED = "checked", _("Checked")
        SIGNED = "signed", _("Signed")

    stocktake = models.ForeignKey(Stocktake, verbose_name=_("stocktake"), on_delete=models.CASCADE,
                                  related_name="rooms")
    location = models.ForeignKey(Location, verbose_name=_("room"), on_delete=models.PROTECT,
                                 related_name="stocktake_rooms")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("checked by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    keeper_name = models.CharField(_("signed by the class teacher / room keeper"), max_length=50, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed for logistics by"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["location__building__sort_order", "location__building__name", "location__floor", "location__name"]
        verbose_name = _("stocktake room")
        verbose_name_plural = _("stocktake rooms")
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "location"], name="one_sheet_per_room"),
        ]

    def __str__(self):
        return f"{self.stocktake} · {self.location}"

    @property
    def can_record(self):
        """The sheet can still be filled in (or corrected until it is signed)."""
        return self.stocktake.is_open and self.status != self.Status.SIGNED

    @property
    def can_sign(self):
        return self.stocktake.is_open and self.status == self.Status.CHECKED


class StocktakeLine(models.Model):
    """What should be in the room and what was found: present, missing, damaged, moved, or found unregistered."""

    class Outcome(models.TextChoices):
        PRESENT = "present", _("Present")
        MISSING = "missing", _("Missing")
        DAMAGED = "damaged", _("Damaged")
        MOVED = "moved", _("Moved")
        FOUND = "found", _("Found, not registered")

    class DamageAction(models.TextChoices):
        REPAIR = "repair", _("Open a repair request")
        RECORD = "record", _("Record the damage (compensation)")

    room = models.ForeignKey(StocktakeRoom, verbose_name=_("room sheet"), on_delete=models.CASCADE,
                             related_name="lines")
    asset = models.ForeignKey(Asset, verbose_name=_("asset"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="stocktake_lines")
    expected_quantity = models.PositiveIntegerField(_("on the books"), default=0)
    counted_quantity = models.PositiveIntegerField(_("counted"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    moved_to = models.ForeignKey(Location, verbose_name=_("moved to"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    damage_action = models.CharField(_("for damage"), max_length=10, choices=DamageAction.choices,
                                     default=DamageAction.REPAIR,
                                     help_text=_("What closing the stocktake does with a damaged item."))
    found_name = models.CharField(_("name of the item found"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=200, blank=True,
                                 help_text=_("What closing the stocktake did with this line."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["room", "asset__tag", "pk"]
        verbose_name = _("stocktake line")
        verbose_name_plural = _("stocktake lines")
        constraints = [
            models.CheckConstraint(condition=Q(asset__isnull=False) | ~Q(found_name=""),
                                   name="line_has_asset_or_found_name"),
        ]

    def __str__(self):
        return f"{self.room} · {self.asset or self.found_name}"

    @property
    def follow_up_text(self):
        """What closing did, in the reader's language (stored untranslated, one note a line)."""
        from logistics.history import reason_text

        return "; ".join(reason_text(part) for part in self.follow_up.splitlines() if part)

    @property
    def difference(self):
        if self.counted_quantity is None:
            return None
        return self.counted_quantity - self.expected_quantity


__all__ = ["Stocktake", "StocktakeLine", "StocktakeRoom"]
