"""Every URL pattern of the project, read from the URLconf, with its path parameters filled from real records.

A pattern's parameters are filled generically:

- ``pk`` (and ``<name>_pk``): a record of the model the pattern names. The model is found among the models of
  the view's app by the URL name ("repair_detail" -> RepairRequest, "stocktake_room_sign" -> StocktakeRoom,
  "findings:detail" -> Finding), longest match first; ``<name>_pk`` names the model itself ("term_pk" -> Term).
- ``<name>_id`` after a record (``photo_id``, ``quote_id``, ``document_id``, ``result_id``): a child of that
  record whose model ends with the name and points at the record's model; ``history_id``: a row of its history.
- anything else: the small table ``ODD`` below (dates, week days, public tokens, chapter keys).

A pattern whose parameters cannot be filled raises ``Unfillable``: the walk fails, so a new page cannot slip by
unwalked. Admin patterns are walked by their own rule (see test_access_walk).
"""
import datetime
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

User = get_user_model()

BUSINESS_APPS = ("logistics", "assets", "finance", "canteen", "safety")


class Unfillable(Exception):
    """A pattern's parameter that no rule and no table entry can fill from the records."""


@dataclass
class Route:
    name: str  # "assets:repair_detail" (namespaced), or the pattern's text when it has no name
    regex_parts: list  # the pattern objects from the root down
    params: list  # the names of its path parameters, in order
    callback: object
    admin: bool = False

    @property
    def app_label(self):
        module = getattr(self.callback, "__module__", "") or ""
        return module.split(".")[0]

    @property
    def url_name(self):
        return self.name.rsplit(":", 1)[-1]

    @property
    def namespace(self):
        return self.name.rsplit(":", 1)[0] if ":" in self.name else ""

    def url(self, kwargs):
        """The path with kwargs put in, built from the patterns' own text (works for regex patterns too)."""
        out = "/"
        for part in self.regex_parts:
            text = str(part)
            if isinstance(part, RoutePattern):
                text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), text)
            else:
                text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), text)
                text = text.lstrip("^").rstrip("$").replace("\\.", ".").replace("\\Z", "")
            out += text
        return out


def routes():
    """Every pattern of the URLconf, recursing through includes."""
    found = []

    def walk(resolver, parts, namespaces):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                walk(p, parts + [p.pattern], namespaces + ([p.namespace] if p.namespace else []))
            elif isinstance(p, URLPattern):
                all_parts = parts + [p.pattern]
                params = []
                for part in all_parts:
                    params += list(part.regex.groupindex)
                name = ":".join(namespaces + [p.name]) if p.name else "".join(str(x) for x in all_parts)
                found.append(Route(name=name, regex_parts=all_parts, params=params, callback=p.callback,
                                   admin="admin" in namespaces))
    walk(get_resolver(), [], [])
    return found


def business_models(app_label):
    return [m for m in apps.get_app_config(app_label).get_models()
            if not m.__name__.startswith("Historical") and m._meta.app_label == app_label]


def user_fields(model):
    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is User]


def _match(models, key):
    """The one model whose name is key, else starts with it, else ends with it; among several, the one the
    others point at (RepairRequest, not RepairPhoto, for "repair")."""
    for test in (lambda n: n == key, lambda n: n.startswith(key), lambda n: n.endswith(key)):
        hits = [m for m in models if test(m._meta.model_name)]
        if len(hits) > 1:
            hits = [m for m in hits if not any(f.is_relation and f.related_model in hits and f.related_model is not m
                                               for f in m._meta.concrete_fields)]
        if len(hits) == 1:
            return hits[0]
        if hits:
            return None
    return None


# The odd ones: URL name -> the model of its pk when the name does not say it plainly.
ODD_MODELS = {
    "finance:order_record": "finance.PurchaseRequest",  # an order is a purchase request once ordered
    "finance:order_accept": "finance.PurchaseRequest",
    "canteen:sample_discard": "canteen.Sample",
    "finance:aid_detail": "finance.AidApplication",  # "aid" is also AidPublication
    "finance:aid_decide": "finance.AidApplication",
    "finance:aid_pay": "finance.AidApplication",
    "finance:fee_spending_add": "finance.FeeItem",  # spending is added to its fee
    "canteen:supplier_document_add": "canteen.Supplier",  # a document is added to its supplier
    "safety:plan_detail": "safety.InspectionPlan",  # "checklists" in the URL; "plan" is also EmergencyPlan
    "safety:plan_start": "safety.InspectionPlan",
    "safety:plan_typical": "safety.InspectionPlan",
    "safety:handover_write": "safety.DutyShift",  # a handover is written on its shift
    "safety:hazard_open_repair": "logistics.Finding",  # a safety hazard is a kernel finding
    "canteen:inspection_detail": "canteen.Inspection",
    "canteen:inspection_print": "canteen.Inspection",
    "safety:inspection_detail": "safety.Inspection",
    "safety:inspection_print": "safety.Inspection",
    "safety:result_photo": "safety.Inspection",
}


def model_of(route):
    """The model a pattern's pk names, or None."""
    if route.name in ODD_MODELS:
        return apps.get_model(ODD_MODELS[route.name])
    for param in route.params:
        if param.endswith("_pk"):
            key = param[:-3]
            for label in (route.app_label, *BUSINESS_APPS):
                if model := _match(business_models(label), key):
                    return model
    models = business_models(route.app_label) if route.app_label in BUSINESS_APPS else []
    # "<x>_id" after the pk names a child: the pk's model is not one whose name ends with x (repair_photo)
    children = [p[:-3] for p in route.params[1:] if p.endswith("_id")]
    models = [m for m in models if not any(m._meta.model_name.endswith(c) for c in children)]
    sources = [route.url_name]
    if route.namespace and route.namespace != route.app_label:  # the kernel's areas: findings, jobs
        sources.append(route.namespace.split(":")[-1])
    for source in sources:
        tokens = [t for t in source.split("_") if t]
        for k in range(len(tokens), 0, -1):
            key = "".join(tokens[:k])
            for candidate in (key, key.rstrip("s")):
                if model := _match(models, candidate):
                    return model
    return None


def child_model(model, name):
    """The model of a ``<name>_id`` under a record of model: it ends with the name and points at model."""
    hits = [m for label in BUSINESS_APPS for m in business_models(label)
            if m._meta.model_name.endswith(name)
            and any(f.is_relation and f.related_model is model for f in m._meta.concrete_fields)]
    return hits[0] if len(hits) == 1 else None


def fk_to(child, model):
    return next(f for f in child._meta.concrete_fields if f.is_relation and f.related_model is model)


def owner_field(model):
    fields = user_fields(model)
    return fields[0] if fields else None


def two_records(qs, model):
    """One record and another of a different owner (when the model has one): e.g. a teacher's own repair and
    another teacher's."""
    qs = qs.order_by("pk")
    owner = owner_field(model)
    first = None
    if owner is not None:
        first = (qs.filter(**{f"{owner.name}__username": "teacher"}).first()
                 or qs.filter(**{f"{owner.name}__isnull": False}).first())
    first = first or qs.first()
    if first is None:
        return []
    other = None
    if owner is not None and getattr(first, owner.attname) is not None:
        other = qs.exclude(**{owner.attname: getattr(first, owner.attname)}).exclude(pk=first.pk).first()
    other = other or qs.exclude(pk=first.pk).first()
    return [first] + ([other] if other else [])


@dataclass
class Case:
    """One URL to GET: the route, its kwargs, the records it shows (the main one first)."""

    route: Route
    kwargs: dict
    records: list = field(default_factory=list)
    crossed: bool = False  # a child id under a record it does not belong to: never a 200

    @property
    def url(self):
        return self.route.url(self.kwargs)


def _odd_cases(route):
    """Cases for the patterns whose parameters are not record ids (the explicit table)."""
    Meal = apps.get_model("canteen", "Meal")
    MenuWeek = apps.get_model("canteen", "MenuWeek")
    params = set(route.params)
    if params == {"date", "kind"}:
        return [Case(route, {"date": m.date.isoformat(), "kind": m.kind}, [m])
                for m in Meal.objects.order_by("-date", "pk")[:1]]
    if params == {"day"}:
        weeks = MenuWeek.objects.order_by("-week_start")[:1]
        return [Case(route, {"day": w.week_start.isoformat()}, [w]) for w in weeks]
    if params == {"year", "month"}:
        today = datetime.date.today()
        return [Case(route, {"year": today.year, "month": today.month})]
    if params == {"key"} and route.name == "canteen:menu_public":
        return [Case(route, {"key": w.public_key}, [w]) for w in MenuWeek.objects.filter(published=True)[:1]]
    if params == {"token"}:
        model = apps.get_model("finance", "FeeItem" if "fee" in route.url_name else "AidPublication")
        qs = model.objects.filter(published=True) if model.__name__ == "FeeItem" else model.objects.all()
        return [Case(route, {"token": r.public_token}, [r]) for r in qs[:1]]
    if params == {"term_pk", "key"}:
        Chapter = apps.get_model("logistics", "SummaryChapter")
        return [Case(route, {"term_pk": c.summary.term_id, "key": c.key}, [c.summary.term])
                for c in Chapter.objects.select_related("summary").order_by("pk")[:1]]
    return None


def cases(route):
    """The URLs to GET for a pattern (one per record it is walked with); raises Unfillable."""
    if not route.params:
        return [Case(route, {})]
    odd = _odd_cases(route)
    if odd is not None:
        if not odd:
            raise Unfillable(f"{route.name}: no record to fill {route.params}")
        return odd
    main = route.params[0]
    model = model_of(route)
    if model is None or not (main == "pk" or main.endswith("_pk")):
        raise Unfillable(f"{route.name}: cannot tell which record {route.params} name")
    rest = route.params[1:]
    if not rest:
        records = two_records(model.objects.all(), model)
        if not records:
            raise Unfillable(f"{route.name}: no {model.__name__} to walk with")
        return [Case(route, {main: r.pk}, [r]) for r in records]
    if len(rest) != 1 or not rest[0].endswith("_id"):
        raise Unfillable(f"{route.name}: cannot fill {rest}")
    sub = rest[0]
    if sub == "history_id":
        rows = list(model.history.order_by("history_id"))
        rows = [r for r in rows if any(getattr(r, f.attname, None) for f in model._meta.concrete_fields
                                       if f.get_internal_type() == "FileField")] or rows
        if not rows:
            raise Unfillable(f"{route.name}: no history of {model.__name__}")
        parent = model.objects.get(pk=rows[0].id)
        out = [Case(route, {main: parent.pk, sub: rows[0].history_id}, [parent])]
        stray = model.history.exclude(id=parent.pk).first()
        if stray:
            out.append(Case(route, {main: parent.pk, sub: stray.history_id}, [parent], crossed=True))
        return out
    child = child_model(model, sub[:-3])
    if child is None:
        raise Unfillable(f"{route.name}: cannot tell which record {sub} names under {model.__name__}")
    link = fk_to(child, model)
    children = two_records(child.objects.all(), child)
    if not children:
        raise Unfillable(f"{route.name}: no {child.__name__} to walk with")
    out = []
    for c in children:
        parent = getattr(c, link.name)
        out.append(Case(route, {main: parent.pk, sub: c.pk}, [parent, c]))
    stray_parent = model.objects.exclude(pk=getattr(children[0], link.attname)).order_by("pk").first()
    if stray_parent is not None:
        out.append(Case(route, {main: stray_parent.pk, sub: children[0].pk}, [stray_parent], crossed=True))
    return out
