"""The shared core: the school, its terms, departments and places."""
import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

# The idle time after which a signed-in session ends (SchoolProfile.session_idle_minutes), in minutes.
SESSION_IDLE_MIN, SESSION_IDLE_MAX = 5, 1440
_IDLE_CACHE_KEY = "logistics:session-idle-minutes"
_NAME_CACHE_KEY = "logistics:school-name"


class SchoolProfile(models.Model):
    """The one school this installation serves: school-wide facts only. Each module keeps its own
    settings in a ModuleSettings record (its limits and targets), so a new module never migrates this."""

    name = models.CharField(_("school name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    principal_name = models.CharField(_("principal"), max_length=50, blank=True)
    session_idle_minutes = models.PositiveSmallIntegerField(
        _("log out after idle minutes"), default=120,
        validators=[MinValueValidator(SESSION_IDLE_MIN), MaxValueValidator(SESSION_IDLE_MAX)],
        help_text=_("A signed-in person who does nothing for this many minutes is logged out (5 to 1440)."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school profile")
        verbose_name_plural = _("school profile")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete_many([_IDLE_CACHE_KEY, _NAME_CACHE_KEY])

    @classmethod
    def _kept(cls, key, field, default):
        """A field of the school's profile from the cache, read again at most once a minute (other processes see
        a change within that minute; this one at once: save() forgets it). The test suite is one process that
        saves through save(): kept until then there, so a minute that ends between two requests never changes a
        page's query count."""
        value = cache.get(key)
        if value is None:
            value = cls.objects.order_by("pk").values_list(field, flat=True).first() or default
            cache.set(key, value, None if getattr(settings, "TESTING", False) else 60)
        return value

    @classmethod
    def school_name(cls):
        """The school's name for every page's header (a query less on every page)."""
        return cls._kept(_NAME_CACHE_KEY, "name", "")

    @classmethod
    def session_idle(cls):
        """The idle time after which a session ends, as seconds."""
        return cls._kept(_IDLE_CACHE_KEY, "session_idle_minutes", 120) * 60

    @classmethod
    def get(cls):
        """The school's profile, created with defaults the first time it is asked for."""
        profile = cls.objects.order_by("pk").first()
        if profile is None:
            profile = cls.objects.create(name=str(_("Our school")))
        return profile


class ModuleSettings(models.Model):
    """A module's settings: one record, created with its defaults the first time it is asked for.

    A module subclasses it (adding its fields and `history = HistoricalRecords()`), names the model in
    its AppConfig's `settings_model`, and registers it in the admin, where the school edits it."""

    class Meta:
        abstract = True

    @classmethod
    def get(cls):
        """The settings record, created with defaults the first time it is asked for."""
        record = cls._default_manager.order_by("pk").first()
        if record is None:
            record = cls._default_manager.create()
        return record


class TermQuerySet(models.QuerySet):
    def current(self, today=None):
        """The term that contains today, else the latest that has started, else the first to come."""
        today = today or timezone.localdate()
        term = self.filter(start__lte=today, end__gte=today).order_by("-start").first()
        if term is None:
            term = self.filter(start__lte=today).order_by("-start").first()
        if term is None:
            term = self.order_by("start").first()
        return term


class Term(models.Model):
    """A school term (学期): the period every figure of the term summary covers."""

    name = models.CharField(_("name"), max_length=60, unique=True, help_text=_("e.g. 2026–2027学年第一学期"))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    history = HistoricalRecords()

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="term_ends_after_start"),
        ]

    def __str__(self):
        return self.name

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def datetime_range(self):
        """Aware datetimes from the first day's midnight to the midnight after the last day."""
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return start, end


class Department(models.Model):
    """A department, office or grade group that reports and requests things."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("head"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class Building(models.Model):
    """A building, or the grounds as a whole, that rooms belong to."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")

    def __str__(self):
        return self.name


class Location(models.Model):
    """A room or place inside a building: where a fault is, where an asset stands."""

    class Kind(models.TextChoices):
        CLASSROOM = "classroom", _("Classroom")
        OFFICE = "office", _("Office")
        LIBRARY = "library", _("Library")
        LAB = "lab", _("Laboratory")
        MUSIC = "music", _("Music room")
        ART = "art", _("Art room")
        MULTIMEDIA = "multimedia", _("Multimedia room")
        COMPUTER = "computer", _("Computer room")
        CANTEEN = "canteen", _("Canteen")
        OUTDOOR = "outdoor", _("Outdoor")
        OTHER = "other", _("Other")

    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT,
                                 related_name="locations")
    name = models.CharField(_("room"), max_length=60)
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CLASSROOM)
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["building__sort_order", "building__name", "floor", "name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["building", "name"], name="location_unique_name_in_building"),
        ]

    def __str__(self):
        return f"{self.building.name} · {self.name}"


class TermSummary(models.Model):
    """The term's work summary (学期工作总结): the head's words around the figures every module computes.

    Written by the logistics head, submitted, signed off by the principal (or returned with a comment).
    Signing keeps the document as signed (signed_data: its figures, charts and words; signed_pdf), so later
    changes to the term's records never alter it. See logistics.summary."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for sign-off")
        RETURNED = "returned", pgettext_lazy("term summary status", "Returned")
        SIGNED = "signed", _("Signed off")

    term = models.OneToOneField(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="summary")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("title"), max_length=120, blank=True,
                             help_text=_("Empty: the school's name, the term and “logistics work summary”."))
    opening = models.TextField(_("opening paragraph"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed off by"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    return_comment = models.TextField(_("comment on returning"), blank=True)
    # The document as signed: figures, previous term's figures, charts, chapters and words (JSON), and its PDF.
    signed_data = models.JSONField(_("document as signed"), null=True, blank=True, editable=False)
    signed_pdf = models.FileField(_("PDF as signed"), upload_to="summaries/%Y/", blank=True, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["signed_data"])

    class Meta:
        ordering = ["-term__start"]
        verbose_name = _("term summary")
        verbose_name_plural = _("term summaries")
        permissions = [("sign_termsummary", "Can sign off or return a term summary")]

    def __str__(self):
        return str(self.term)

    @property
    def editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class SummaryChapter(models.Model):
    """A chapter of a term's summary: where it stands, its title (empty: the default one), the head's words.

    key: a module's chapter ("routine", "finance_assets", …), the kernel's last chapter ("outlook"), or
    "custom-N" for one the head added."""

    summary = models.ForeignKey(TermSummary, verbose_name=_("term summary"), on_delete=models.CASCADE,
                                related_name="chapters")
    key = models.CharField(_("key"), max_length=40)
    title = models.CharField(_("title"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    hidden = models.BooleanField(_("hidden"), default=False)
    narrative = models.TextField(_("text"), blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("summary chapter")
        verbose_name_plural = _("summary chapters")
        constraints = [
            models.UniqueConstraint(fields=["summary", "key"], name="summary_chapter_unique_key"),
        ]

    def __str__(self):
        return self.title or self.key

    @property
    def custom(self):
        return self.key.startswith("custom-")


# --- found → fixed → verified (整改闭环) -------------------------------------------------------------

class FindingQuerySet(models.QuerySet):
    def in_area(self, area):
        return self.filter(area=area) if area else self

    def unfixed(self):
        """Waiting for a fix: open, or sent back by a failed verification."""
        return self.filter(status__in=Finding.UNFIXED_STATUSES)

    def still_open(self):
        """Not verified yet (waiting for a fix or for its verification)."""
        return self.exclude(status=Finding.Status.VERIFIED)

    def overdue(self, today=None):
        """Waiting for a fix after its deadline."""
        return self.unfixed().filter(deadline__lt=today or timezone.localdate())

    def visible_to(self, user):
        """What a user may read: everything with logistics.view_finding, otherwise what they must fix and what
        they found (a teacher follows the hazard they reported; reading gives no move on it)."""
        if user.has_perm("logistics.view_finding"):
            return self
        return self.filter(models.Q(responsible=user) | models.Q(found_by=user))


class Finding(models.Model):
    """Something found wrong (a failed inspection item, a hazard) and its way to closed: found → fixed →
    verified by someone other than the one who fixed it; a failed verification sends it back.

    The kernel keeps it for every module: `area` is the app label of the module that raised it, `source`
    the record it came from (an inspection's failed item). See logistics.findings."""

    class Status(models.TextChoices):
        OPEN = "open", _("To be fixed")
        FIXED = "fixed", _("Fixed, awaiting verification")
        VERIFIED = "verified", _("Verified")
        REOPENED = "reopened", _("Failed verification, to be fixed again")

    class Severity(models.TextChoices):
        GENERAL = "general", _("General")
        SERIOUS = "serious", _("Serious")

    UNFIXED_STATUSES = (Status.OPEN, Status.REOPENED)
    MAX_PHOTOS = 6

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    area = models.CharField(_("area"), max_length=40, db_index=True,
                            help_text=_("The part of the school's work it belongs to (the module that raised it)."))
    source_type = models.ForeignKey("contenttypes.ContentType", verbose_name=_("found in (type)"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(_("found in (record)"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    title = models.CharField(pgettext_lazy("finding", "what is wrong"), max_length=120,
                             help_text=_("In a few words, e.g. “Fire extinguisher pressure low”."))
    description = models.TextField(_("details"), blank=True)
    location = models.ForeignKey(Location, verbose_name=_("location"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="findings")
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("found by"), on_delete=models.PROTECT,
                                 related_name="+")
    found_at = models.DateTimeField(_("found at"), default=timezone.now, db_index=True)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsible person"),
                                    on_delete=models.PROTECT, related_name="findings_responsible")
    deadline = models.DateField(_("fix by"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    fix_note = models.TextField(_("what was done"), blank=True)
    fixed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("fixed by"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    fixed_at = models.DateTimeField(_("fixed at"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verify_comment = models.TextField(_("verification comment"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times failed verification"), default=0)
    # Guards against a second click on "submit": the form carries one token per page load.
    submit_token = models.UUIDField(_("submission token"), unique=True, default=uuid.uuid4, editable=False)
    # Raised by every state change, so a decision made on a stale page is noticed.
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["submit_token"])

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["-found_at", "-pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        permissions = [
            ("fix_finding", _("Can record the fix of any finding")),
            ("verify_finding", _("Can verify findings, reassign them and extend their deadline")),
        ]
        indexes = [
            models.Index(fields=["area", "status", "deadline"], name="finding_area_status_deadline"),
            models.Index(fields=["source_type", "source_id"], name="finding_source"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    # Guards shared by services and templates -------------------------------------------
    @property
    def can_fix(self):
        return self.status in self.UNFIXED_STATUSES

    can_reassign = can_extend = can_fix

    @property
    def can_verify(self):
        return self.status == self.Status.FIXED

    @property
    def is_overdue(self):
        return self.can_fix and self.deadline < timezone.localdate()

    @property
    def fixed_on_time(self):
        """Whether the (last) fix was recorded by the deadline; None before a fix."""
        if self.fixed_at is None:
            return None
        return timezone.localdate(self.fixed_at) <= self.deadline

    @property
    def badge(self):
        """The badge style of its status (the house's colours: open, warning, done, closed)."""
        return {self.Status.OPEN: "b-reported", self.Status.REOPENED: "b-urgent", self.Status.FIXED: "b-done",
                self.Status.VERIFIED: "b-confirmed"}[self.status]


def finding_photo_path(instance, filename):
    today = timezone.localdate()
    return f"findings/{today:%Y/%m}/{uuid.uuid4().hex}{filename[filename.rfind('.'):]}"


class FindingPhoto(models.Model):
    """A photo of what was found, or of the fix; re-encoded on upload (logistics.images.clean_photo)."""

    class Kind(models.TextChoices):
        FOUND = "found", _("As found")
        FIXED = "fixed", _("After the fix")

    finding = models.ForeignKey(Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FOUND)
    image = models.ImageField(_("photo"), upload_to=finding_photo_path, width_field="width", height_field="height")
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("finding photo")
        verbose_name_plural = _("finding photos")

    def __str__(self):
        return f"{self.finding.number} #{self.pk}"


# The background jobs' record lives beside their code (logistics.jobs); Django finds models here.
from .jobs.models import Job  # noqa: E402,F401
