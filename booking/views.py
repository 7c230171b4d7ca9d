from django.shortcuts import render

from . import selectors


def start(request):
    """First step of booking: the services on offer, with the one asked for highlighted."""
    services = list(selectors.service_list_public())
    chosen = request.GET.get("service", "")
    return render(
        request,
        "booking/start.html",
        {
            "services": services,
            "chosen_service": next((s for s in services if s.slug == chosen), None),
            "meta_title": "Book a session",
            "meta_description": (
                "Choose a session: a first visit or a follow-up treatment, with the length "
                "and price of each."
            ),
        },
    )
