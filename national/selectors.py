"""Reads of the national comparison. A chef reads their own jobcentre's figures, the
national distribution and their rank - never another jobcentre's value; the analyst (public
schema) reads every consenting jobcentre by name. Only jobcentres consenting now are read,
so one that withdrew is gone at once, not only after the next computation."""

from dataclasses import dataclass
from datetime import date

from tenants.models import Jobcenter

from .models import NationalConsent, NationalDistribution, NationalFigure, NationalRun
from .rules import FIGURES, Figure, rank


def consent_of(*, jobcenter: Jobcenter) -> NationalConsent | None:
    return NationalConsent.objects.filter(jobcenter=jobcenter).first()


def consented(*, jobcenter: Jobcenter) -> bool:
    return NationalConsent.objects.filter(jobcenter=jobcenter, consented=True).exists()


def national_periods() -> list[tuple[date, date]]:
    """The periods the last computations stored, newest first."""
    return list(
        NationalDistribution.objects.order_by("-period_to", "period_from")
        .values_list("period_from", "period_to")
        .distinct()
    )


def national_run_latest() -> NationalRun | None:
    return NationalRun.objects.exclude(finished_at=None).order_by("-started_at").first()


def _consenting_figures(period_from: date, period_to: date):
    return NationalFigure.objects.filter(
        period_from=period_from,
        period_to=period_to,
        jobcenter__national_consent__consented=True,
    )


@dataclass(frozen=True)
class ComparisonRow:
    figure: Figure
    value: float | None
    persons: int | None
    suppressed: bool
    jobcentres: int
    q1: float | None
    median: float | None
    q3: float | None
    rank: int | None


def comparison_for_jobcenter(
    *, jobcenter: Jobcenter, period_from: date, period_to: date
) -> list[ComparisonRow]:
    """The jobcentre's figures beside the national median and quartiles, with its rank
    among the consenting jobcentres whose figure is shown. Empty unless the jobcentre
    consents: only those who share see the comparison. The other jobcentres' values are
    read to rank, and never returned."""
    if not consented(jobcenter=jobcenter):
        return []
    dists = {
        d.figure: d
        for d in NationalDistribution.objects.filter(period_from=period_from, period_to=period_to)
    }
    own: dict[str, NationalFigure] = {}
    others: dict[str, list[float]] = {}
    for row in _consenting_figures(period_from, period_to):
        if row.jobcenter_id == jobcenter.pk:
            own[row.figure] = row
        elif row.value is not None:
            others.setdefault(row.figure, []).append(row.value)
    rows = []
    for figure in FIGURES:
        d = dists.get(figure.key)
        mine = own.get(figure.key)
        value = mine.value if mine else None
        rows.append(
            ComparisonRow(
                figure=figure,
                value=value,
                persons=mine.persons if mine else None,
                suppressed=bool(mine and mine.suppressed),
                jobcentres=d.jobcentres if d else 0,
                q1=d.q1 if d else None,
                median=d.median if d else None,
                q3=d.q3 if d else None,
                rank=(
                    rank(value, others.get(figure.key, []), higher_better=figure.higher_better)
                    if value is not None
                    else None
                ),
            )
        )
    return rows


@dataclass(frozen=True)
class NationalCell:
    value: float | None
    persons: int
    suppressed: bool


def national_table(*, period_from: date, period_to: date) -> dict:
    """For the analyst: every consenting jobcentre by name with its figures, and the
    distribution per figure."""
    jobcentres = list(
        Jobcenter.objects.filter(national_consent__consented=True)
        .exclude(schema_name="public")
        .order_by("name")
    )
    cells: dict[tuple[int, str], NationalCell] = {
        (r.jobcenter_id, r.figure): NationalCell(r.value, r.persons, r.suppressed)
        for r in _consenting_figures(period_from, period_to)
    }
    dists = {
        d.figure: d
        for d in NationalDistribution.objects.filter(period_from=period_from, period_to=period_to)
    }
    return {
        "jobcentres": jobcentres,
        "figures": [
            {
                "figure": figure,
                "distribution": dists.get(figure.key),
                "cells": [cells.get((j.pk, figure.key)) for j in jobcentres],
            }
            for figure in FIGURES
        ],
    }
