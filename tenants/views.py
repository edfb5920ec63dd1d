from django.shortcuts import render

from .selectors import jobcenters_with_primary_domain


def landing(request):
    """The platform's front page: what this is, and where each jobcentre logs in."""
    return render(request, "tenants/landing.html", {"jobcenters": jobcenters_with_primary_domain()})
