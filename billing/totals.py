"""What each contract pays for a period, as totals computed in one PostgreSQL statement.

The statistics need the contract payments of any period for every contract at once (cost
per place-week); building every statement line in Python for that is far slower than the
figures around it. This is the same arithmetic as `rules.py`, line by line - each line
rounded to øre (round() on numeric rounds half away from zero: ROUND_HALF_UP for the
non-negative amounts here) and the lines summed - written as SQL:

- the terms: version 1 from the contract's start, then each signed amendment from its
  valid_from (not before the contract's start), in (valid_from, version) order; a version
  applies until the next one starts;
- per_place_month: places x amount x days / days in month, per calendar month of a segment;
- mentor_hours: hours x rate x days / 7, per Monday-Sunday week of a segment; a contract
  with any mentor-support grant (mentors_mentorgrant, through its place) pays instead each
  grant's hours x rate x days / 7 per week of the grant's period inside the segment;
- per_candidate_week: the amount for every course week starting in the period, by the
  terms on the week's first day (week k starts on start + 7(k-1); the last week is the one
  the course's end, or while running its planned end, falls in);
- establishment_amount: once, when the contract's start day lies in the period.

`tests/billing/test_totals.py` checks that these totals equal `selectors.contracts_payments`
(the statement lines) on a generated mix. The key-figure statement (reports/kpi/statement.py)
embeds TOTALS_SQL to cost each centre.
"""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Q

from codes.lists import PaymentModel
from contracts.models import AmendmentStatus, Contract

from .selectors import BILLABLE_STATUSES

TOTALS_SQL = """
WITH k AS (
    SELECT id, start, "end", establishment_amount
    FROM contracts_contract
    WHERE status = ANY(%(statuses)s) AND start <= %(end)s AND "end" >= %(start)s
      AND (%(all)s OR id = ANY(%(ids)s))
),
versions AS (
    SELECT c.id AS contract_id, 1 AS version, c.start AS valid_from, c.payment_model,
           c.places, c.payment_amount, c.payment_hourly_rate, c.payment_hours_per_week,
           c.establishment_amount
    FROM contracts_contract c JOIN k ON k.id = c.id
    UNION ALL
    SELECT a.contract_id, a.version, GREATEST(a.valid_from, k.start), a.payment_model,
           a.places, a.payment_amount, a.payment_hourly_rate, a.payment_hours_per_week,
           a.establishment_amount
    FROM contracts_amendment a JOIN k ON k.id = a.contract_id
    WHERE a.status = 'signed'
),
ordered AS (
    SELECT v.*,
           LEAD(v.valid_from) OVER (PARTITION BY v.contract_id
                                    ORDER BY v.valid_from, v.version) AS next_from
    FROM versions v
),
seg AS (
    SELECT o.*, GREATEST(%(start)s, o.valid_from) AS s_start,
           LEAST(%(end)s, k."end", o.next_from - 1) AS s_end
    FROM ordered o JOIN k ON k.id = o.contract_id
),
place_months AS (
    SELECT s.contract_id,
           SUM(round(s.places * s.payment_amount
                     * (LEAST(s.s_end, (m + INTERVAL '1 month - 1 day')::date)
                        - GREATEST(s.s_start, m::date) + 1)
                     / EXTRACT(DAY FROM m + INTERVAL '1 month - 1 day'), 2)) AS amount
    FROM seg s
    -- timestamp, not timestamptz: no time zone arithmetic for every month
    CROSS JOIN LATERAL generate_series(date_trunc('month', s.s_start::timestamp),
                                       s.s_end::timestamp, INTERVAL '1 month') m
    WHERE s.payment_model = 'per_place_month' AND s.s_start <= s.s_end
    GROUP BY s.contract_id
),
grants AS (
    SELECT g.id, p.contract_id, g.start, g."end", g.hours_per_week, g.hourly_rate
    FROM mentors_mentorgrant g
    JOIN centers_place p ON p.id = g.place_id
    JOIN k ON k.id = p.contract_id
),
grant_weeks AS (
    SELECT s.contract_id,
           SUM(round(gr.hours_per_week * gr.hourly_rate
                     * (LEAST(b.g_end, w::date + 6) - GREATEST(b.g_start, w::date) + 1)
                     / 7.0, 2)) AS amount
    FROM seg s
    JOIN grants gr ON gr.contract_id = s.contract_id
    CROSS JOIN LATERAL (SELECT GREATEST(s.s_start, gr.start) AS g_start,
                               LEAST(s.s_end, gr."end") AS g_end) b
    CROSS JOIN LATERAL generate_series(date_trunc('week', b.g_start::timestamp),
                                       b.g_end::timestamp, INTERVAL '7 days') w
    WHERE s.payment_model = 'mentor_hours' AND b.g_start <= b.g_end
    GROUP BY s.contract_id
),
hour_weeks AS (
    SELECT s.contract_id,
           SUM(round(s.payment_hours_per_week * s.payment_hourly_rate
                     * (LEAST(s.s_end, w::date + 6) - GREATEST(s.s_start, w::date) + 1)
                     / 7.0, 2)) AS amount
    FROM seg s
    CROSS JOIN LATERAL generate_series(date_trunc('week', s.s_start::timestamp),
                                       s.s_end::timestamp, INTERVAL '7 days') w
    WHERE s.payment_model = 'mentor_hours' AND s.s_start <= s.s_end
      AND NOT EXISTS (SELECT 1 FROM grants gr WHERE gr.contract_id = s.contract_id)
    GROUP BY s.contract_id
),
course_weeks AS (
    SELECT c.contract_id, c.start + (gs.k - 1) * 7 AS week_start
    FROM candidates_course c
    JOIN k ON k.id = c.contract_id
    CROSS JOIN LATERAL generate_series(
        GREATEST(1, (%(start)s::date - c.start + 6) / 7 + 1),
        LEAST((COALESCE(c."end", c.planned_end) - c.start) / 7 + 1,
              (%(end)s::date - c.start) / 7 + 1)
    ) AS gs(k)
    WHERE c.start <= %(end)s AND COALESCE(c."end", c.planned_end) >= %(start)s
      AND EXISTS (SELECT 1 FROM versions v WHERE v.contract_id = c.contract_id
                  AND v.payment_model = 'per_candidate_week')
),
candidate_weeks AS (
    SELECT w.contract_id, SUM(round(o.payment_amount, 2)) AS amount
    FROM course_weeks w
    JOIN k ON k.id = w.contract_id AND w.week_start BETWEEN k.start AND k."end"
    JOIN ordered o ON o.contract_id = w.contract_id AND o.valid_from <= w.week_start
                  AND (o.next_from IS NULL OR o.next_from > w.week_start)
    WHERE o.payment_model = 'per_candidate_week'
    GROUP BY w.contract_id
),
establishment AS (
    SELECT k.id AS contract_id, round(o.establishment_amount, 2) AS amount
    FROM k JOIN ordered o ON o.contract_id = k.id AND o.valid_from <= k.start
                         AND (o.next_from IS NULL OR o.next_from > k.start)
    WHERE k.start BETWEEN %(start)s AND %(end)s AND o.establishment_amount > 0
)
SELECT k.id,
       COALESCE(pm.amount, 0) + COALESCE(hw.amount, 0) + COALESCE(gw.amount, 0)
       + COALESCE(cw.amount, 0) + COALESCE(e.amount, 0),
       -- of it, the mentor support (the mentor-hours lines: agreed hours or grants)
       COALESCE(hw.amount, 0) + COALESCE(gw.amount, 0) AS mentor_support
FROM k
LEFT JOIN place_months pm ON pm.contract_id = k.id
LEFT JOIN hour_weeks hw ON hw.contract_id = k.id
LEFT JOIN grant_weeks gw ON gw.contract_id = k.id
LEFT JOIN candidate_weeks cw ON cw.contract_id = k.id
LEFT JOIN establishment e ON e.contract_id = k.id
"""

# The ØVO box's sum: the mentor-hours part of the same totals.
MENTOR_SUPPORT_SQL = (
    "SELECT COALESCE(SUM(t.mentor_support), 0) FROM (" + TOTALS_SQL + ") AS t"  # noqa: S608 - constants
)


def contract_payment_totals(*, start: date, end: date, contract_ids=None) -> dict[int, Decimal]:
    """{contract id: what it pays for start..end} for every billable contract meeting the
    period, in one query; equal to `selectors.contracts_payments` (tested)."""
    if end < start:
        raise ValueError("end is before start")
    params = {
        "start": start,
        "end": end,
        "statuses": [str(s) for s in BILLABLE_STATUSES],
        "all": contract_ids is None,
        "ids": list(contract_ids or []),
    }
    with connection.cursor() as cursor:
        cursor.execute(TOTALS_SQL, params)
        return {
            pk: Decimal(amount).quantize(Decimal("0.01"))
            for pk, amount, _mentor_support in cursor.fetchall()
        }


def mentor_support_spending(*, start: date, end: date) -> Decimal:
    """What the centres' contracts pay for mentor support for start..end, in kroner: the
    sum of their mentor-hours lines (the grants, or the agreed hours of a contract without
    grants), as `rules.mentor_hours_lines` and `rules.mentor_grant_lines` build them
    (tested). One query; only contracts that use the mentor-hours model in some version
    are computed. The KPI page's ØVO box reads it on every view (issue 24: the statement
    lines in Python took most of the page)."""
    if end < start:
        raise ValueError("end is before start")
    ids = list(
        Contract.objects.filter(
            Q(payment_model=PaymentModel.MENTOR_HOURS)
            | Q(
                amendments__payment_model=PaymentModel.MENTOR_HOURS,
                amendments__status=AmendmentStatus.SIGNED,
            ),
            status__in=BILLABLE_STATUSES,
            start__lte=end,
            end__gte=start,
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    if not ids:
        return Decimal("0.00")
    params = {
        "start": start,
        "end": end,
        "statuses": [str(s) for s in BILLABLE_STATUSES],
        "all": False,
        "ids": ids,
    }
    with connection.cursor() as cursor:
        cursor.execute(MENTOR_SUPPORT_SQL, params)
        (total,) = cursor.fetchone()
    return Decimal(total).quantize(Decimal("0.01"))
