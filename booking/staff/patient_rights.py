"""The patient's rights in the admin: download everything held, or erase. Superusers only.

Both start with a page that says what will happen and ask for a POST: a link followed by
accident, a prefetching browser or a crawler can never export or erase anyone.
"""

from functools import wraps

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from .. import privacy, selectors
from ..models import Patient
from ..privacy.erasure import patient_erase


def superusers_only(view):
    """Only superusers: the export holds every answer, and erasure cannot be undone.

    Anyone else gets a plain 403 (Wagtail would turn ``PermissionDenied`` into a redirect
    to the dashboard), before the patient is even looked up.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_superuser:
            return render(request, "booking/staff/superusers_only.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


@superusers_only
@require_http_methods(["GET", "POST"])
def export(request, pk):
    patient = get_object_or_404(Patient, pk=pk)
    if request.method == "GET":
        return render(
            request,
            "booking/staff/patient_export.html",
            {"patient": patient, **selectors.patient_holdings(patient=patient, now=timezone.now())},
        )
    response = HttpResponse(
        privacy.patient_export_json(patient), content_type="application/json; charset=utf-8"
    )
    # The file name carries the record's number, never the name.
    response["Content-Disposition"] = f'attachment; filename="patient-{patient.pk}.json"'
    patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
    privacy.patient_export_log(patient, by=request.user, via="admin")
    return response


@superusers_only
@require_http_methods(["GET", "POST"])
def erase(request, pk):
    patient = get_object_or_404(Patient, pk=pk)
    if request.method == "GET":
        return render(
            request,
            "booking/staff/patient_erase.html",
            {
                "patient": patient,
                "already_erased": privacy.is_erased(patient),
                "erased_label": privacy.ERASED_LABEL,
                **selectors.patient_holdings(patient=patient, now=timezone.now()),
            },
        )
    erasure = patient_erase(patient, by=request.user, via="admin")
    messages.success(
        request,
        f"Patient {erasure.patient_id} erased: {erasure.intakes_deleted} intake(s) and "
        f"{erasure.notes_deleted} note(s) deleted, {erasure.appointments_cancelled} upcoming "
        f"appointment(s) cancelled, {erasure.appointments_kept} appointment(s) kept without "
        "a name.",
    )
    return redirect("booking_patient:inspect", erasure.patient_id)
