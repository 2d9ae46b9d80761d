"""The service helpers every module shares: who may act, stale pages, refused moves, saving with history,
numbering, saving once per submitted form, money and people's names.

A module's service is one atomic function that locks its row (`lock`), checks the move (`require`,
the model's `can_*` guard, `refuse`), changes the record and saves it with a history sentence
(`save_with_history`). New records that carry a number (WX-2026-00042) or come from a form that may
arrive twice (a double click) are written with `insert_once`.
"""
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldError, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
# A hundred million yuan: more is a typing mistake at a primary school.
MAX_AMOUNT = Decimal("99999999.99")
NUMBER_ATTEMPTS = 5


# --- who, and in which state ---------------------------------------------------------------------

def require(user, perm, message=None):
    """PermissionDenied unless an active user holds perm."""
    if not (user.is_active and user.has_perm(perm)):
        raise PermissionDenied(message or _("You do not have the role for this."))


def check_version(obj, expected_version, what, *, by=None):
    """ValidationError (code "stale") when the page that sent the move showed an older version.

    Views always send the version they showed (see logistics.forms.VersionForm, where it is required);
    None is for callers that are not pages (the demo, management commands). by: the user making the
    move; when every change since that page was theirs (another tab, their phone), the message says so
    rather than blaming someone else."""
    if expected_version is None or int(expected_version) == obj.version:
        return
    status = obj.get_status_display() if hasattr(obj, "get_status_display") else ""
    values = {"what": what, "status": status}
    if by is not None and _changed_only_by(obj, int(expected_version), by):
        if status:
            message = _("You changed this %(what)s on another page or device while this one was open (now: "
                        "%(status)s). Nothing was saved here; look at it again and decide.") % values
        else:
            message = _("You changed this %(what)s on another page or device while this one was open. "
                        "Nothing was saved here; look at it again and decide.") % values
    elif status:
        message = _("This %(what)s was changed by someone else while you had it open (now: %(status)s). "
                    "Nothing was saved; look at it again and decide.") % values
    else:
        message = _("This %(what)s was changed by someone else while you had it open. "
                    "Nothing was saved; look at it again and decide.") % values
    raise ValidationError(message, code="stale")


def _changed_only_by(obj, since_version, user):
    """Whether the record's history shows changes after since_version, all of them made by user."""
    history = getattr(obj, "history", None)
    if history is None:
        return False
    try:
        authors = set(history.filter(version__gt=since_version).values_list("history_user_id", flat=True))
    except FieldError:  # a history that does not keep the version
        return False
    return authors == {user.pk}


def lock(queryset, pk, expected_version=None, what=None, *, by=None):
    """The row locked for this transaction (select_for_update), after checking the page's version.

    queryset: a model or a queryset (to add select_related); what: the record's name in the stale
    message, by default the model's verbose name; by: the user making the move (see check_version)."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    obj = qs.select_for_update(of=("self",)).get(pk=pk)
    check_version(obj, expected_version, what or obj._meta.verbose_name, by=by)
    return obj


def refuse(obj, action):
    """ValidationError (code "not_allowed") for a move the record's status does not allow."""
    raise ValidationError(
        _("A record that is “%(status)s” cannot be %(action)s.")
        % {"status": obj.get_status_display(), "action": action},
        code="not_allowed",
    )


def save_with_history(obj, user, reason, *, bump=True, **save_kwargs):
    """Save obj with the history's user and reason (see logistics.history), raising its version."""
    if bump and hasattr(obj, "version"):
        obj.version += 1
    obj._change_reason = reason
    obj._history_user = user
    obj.save(**save_kwargs)
    return obj


# --- numbers and forms sent twice -----------------------------------------------------------------

def next_number(model, prefix, now=None, *, field="number", width=5):
    """The next readable number such as WX-2026-00042: prefix, the calendar year, a counter per year.

    The last number of the year is read with a row lock; two writers that still meet get an
    IntegrityError from the unique field, and insert_once tries the next number."""
    start = f"{prefix}-{timezone.localtime(now or timezone.now()).year}-"
    last = (model._default_manager.select_for_update().filter(**{f"{field}__startswith": start})
            .order_by(f"-{field}").values_list(field, flat=True).first())
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{start}{seq:0{width}d}"


def find_duplicate(model, submit_token, user, owner_field):
    """The record an earlier submission of the same form made (marked was_duplicate), or None.

    A token used by somebody else is refused: a form's token belongs to who opened it."""
    if not submit_token:
        return None
    existing = model._default_manager.filter(submit_token=submit_token).first()
    if existing is None:
        return None
    if getattr(existing, owner_field) != user.pk:
        raise ValidationError(_("This form was already used. Open a new one."), code="token")
    existing.was_duplicate = True
    return existing


def insert_once(obj, *, user, owner_field, submit_token=None, number_prefix=None, now=None):
    """Insert a new record, once per submitted form; numbered when number_prefix is given.

    Returns the record saved, or the one an earlier (or simultaneous) submission of the same form
    saved, marked was_duplicate. Callers check for a duplicate before validating (find_duplicate),
    so a second click never shows errors of a form already saved."""
    model = type(obj)
    if submit_token:
        obj.submit_token = submit_token
    for attempt in range(NUMBER_ATTEMPTS):
        if number_prefix:
            obj.number = next_number(model, number_prefix, now)
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
            return obj
        except IntegrityError:
            # Either the same form arrived twice at once (the other submission won), or another
            # writer took this number a moment ago (try the next one).
            if (existing := find_duplicate(model, submit_token, user, owner_field)) is not None:
                return existing
            if not number_prefix or attempt == NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


# --- money and names ------------------------------------------------------------------------------

def parse_money(value, field=None, *, allow_zero=False, maximum=MAX_AMOUNT):
    """A Decimal amount of yuan with at most two places, or a ValidationError (on field, when given).

    Accepts what people type: spaces, thousands separators (1,200 or 1，200), a ¥ or 元. A third
    decimal place is refused, never rounded away: 12.345 is a typing mistake, not 12.35."""
    def error(message, code):
        return ValidationError({field: ValidationError(message, code=code)} if field else message, code=code)

    if isinstance(value, Decimal):
        amount = value
    else:
        text = str(value if value is not None else "").strip()
        for sign in (",", "，", "¥", "￥", "元", " "):
            text = text.replace(sign, "")
        try:
            amount = Decimal(text)
        except (InvalidOperation, TypeError, ValueError):
            raise error(_("Enter an amount in yuan, e.g. 12.50."), "invalid") from None
    if not amount.is_finite():
        raise error(_("Enter an amount in yuan, e.g. 12.50."), "invalid")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise error(_("The amount must be more than zero."), "min_value")
    if amount > maximum:
        raise error(_("This amount is too large; check the number."), "max_value")
    if amount != amount.quantize(CENT):
        raise error(_("At most two decimal places (fen)."), "decimal_places")
    return amount.quantize(CENT)


def format_money(amount, *, sign="¥"):
    """An amount as the school writes money everywhere (pages, PDFs, home rows): ¥19,000.00, -¥15.00.

    Two places, thousands separators, the sign before the yuan mark; "" for no amount (None or "")."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount)).quantize(CENT)
    except (InvalidOperation, ValueError):
        return str(amount)
    text = f"{sign}{abs(value):,.2f}"
    return f"-{text}" if value < 0 else text


def join_list(items):
    """Names or phrases run together as a reader expects: "甲、乙、丙" in Chinese, "A, B, C" in English."""
    from django.utils.translation import pgettext

    return pgettext("between list items", ", ").join(str(item) for item in items)


def display_name(user):
    """A person's name as colleagues know it (full name, else username); "" for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
