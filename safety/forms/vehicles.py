"""Forms of the school vehicles: a vehicle, a driver, a route (kept by the safety officer), the pre-trip check on a
phone, and the lists' filters. Forms only validate what was typed; the services decide."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from logistics.forms import DateInput
from logistics.services import display_name

from ..models.vehicles import Driver, Route, Vehicle
from ..selectors.vehicles import ITEMS
from ..services.vehicles import NOTE_LENGTH

OK_CHOICES = [("ok", _("In order")), ("not_ok", _("Not in order"))]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


def _people():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "username")


class _Kept(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def data_for_service(self):
        data = {k: v for k, v in self.cleaned_data.items() if k in self._meta.fields}
        return data, self.cleaned_data.get("version")

    def _post_clean(self):
        # The service validates the model (and locks it first); the form checks only what was typed.
        pass


class VehicleForm(_Kept):
    class Meta:
        model = Vehicle
        fields = ["plate", "description", "seats", "operator", "inspection_expires", "insurance_expires", "active"]
        widgets = {"inspection_expires": DateInput, "insurance_expires": DateInput}

    def clean_plate(self):
        return " ".join(self.cleaned_data["plate"].upper().split())

    def clean_seats(self):
        seats = self.cleaned_data["seats"]
        if seats is not None and not 1 <= seats <= 80:
            raise forms.ValidationError(_("Between 1 and 80 seats."))
        return seats


class DriverForm(_Kept):
    user = PersonChoiceField(label=_("User account"), queryset=_people(), required=False,
                             empty_label=_("— none —"), help_text=_("With an account, the driver records the "
                                                                   "pre-trip checks on their phone."))

    class Meta:
        model = Driver
        fields = ["name", "user", "phone", "licence_number", "licence_class", "licence_expires",
                  "school_agreement_until", "parent_agreement_until", "active"]
        widgets = {"licence_expires": DateInput, "school_agreement_until": DateInput,
                   "parent_agreement_until": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people()


class RouteForm(_Kept):
    escort = PersonChoiceField(label=_("Teacher escorting"), queryset=_people(), required=False,
                               empty_label=_("— none —"))

    class Meta:
        model = Route
        fields = ["name", "vehicle", "driver", "escort", "stops", "morning_departs", "afternoon_departs", "classes",
                  "pupils", "active"]
        widgets = {"morning_departs": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "afternoon_departs": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "stops": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["escort"].queryset = _people()
        self.fields["vehicle"].queryset = Vehicle.objects.filter(active=True) | Vehicle.objects.filter(
            pk=getattr(self.instance, "vehicle_id", None))
        self.fields["driver"].queryset = Driver.objects.filter(active=True) | Driver.objects.filter(
            pk=getattr(self.instance, "driver_id", None))

    def clean(self):
        data = super().clean()
        vehicle, pupils = data.get("vehicle"), data.get("pupils")
        if vehicle is not None and pupils is not None and pupils > vehicle.seats:
            self.add_error("pupils", _("%(plate)s has %(seats)s seats: more pupils than seats.")
                           % {"plate": vehicle.plate, "seats": vehicle.seats})
        return data


class TripCheckForm(forms.Form):
    """The pre-trip check: the vehicle, the driver, each item in order or not, fit or not."""

    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=Vehicle.objects.none(),
                                     empty_label=_("— choose the vehicle —"))
    driver = forms.ModelChoiceField(label=_("Driver"), queryset=Driver.objects.none(),
                                    empty_label=_("— choose the driver —"))
    fit = forms.TypedChoiceField(label=_("Fit for the trip?"), widget=forms.RadioSelect,
                                 choices=[("yes", _("Fit")), ("no", _("Not fit"))], coerce=lambda v: v == "yes")
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required when not fit: what is wrong and what is done about it."))

    def __init__(self, *args, vehicles, drivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = vehicles
        self.fields["driver"].queryset = drivers
        for key, label in ITEMS:
            self.fields[f"item_{key}"] = forms.ChoiceField(label=label, choices=OK_CHOICES, widget=forms.RadioSelect)

    def item_fields(self):
        return [self[f"item_{key}"] for key, _label in ITEMS]

    def items(self):
        return {key: self.cleaned_data[f"item_{key}"] == "ok" for key, _label in ITEMS
                if f"item_{key}" in self.cleaned_data}


class ListFilterForm(forms.Form):
    show = forms.ChoiceField(required=False, choices=[("active", _("In use")), ("stopped", _("Out of use")),
                                                      ("all", _("All"))])
    q = forms.CharField(label=_("Search"), required=False, max_length=50)


class CheckFilterForm(forms.Form):
    vehicle = forms.ModelChoiceField(label=_("Vehicle"), queryset=Vehicle.objects.all(), required=False,
                                     empty_label=_("All vehicles"))
    fit = forms.ChoiceField(label=_("Result"), required=False,
                            choices=[("", _("All")), ("yes", _("Fit")), ("no", _("Not fit"))])
    first = forms.DateField(label=_("From"), required=False, widget=DateInput)
    last = forms.DateField(label=_("To"), required=False, widget=DateInput)
