"""The SQL behind the key figures. One statement scans the courses once and aggregates
them for the whole jobcentre and per centre, company and branche (GROUPING SETS), and per
month of the period. Definitions (issue "Statistics and the jobcenterchef's KPI dashboard"):

- place_days_available: places x days of each contract inside the period; a signed
  amendment changes the places from its valid_from;
- place_days_occupied: days of each course inside the period and its contract, from start
  to the actual end (a running course: to the period's end);
- a course "started"/"ended" in the period when its start/end lies in it; a person is
  active at the end when a course of theirs covers the period's last day;
- age groups use the age at course start (under 25 = unge).
"""

from candidates.models import DIRECT_SUCCESS_OUTCOMES, Outcome

COUNTED_CONTRACT_STATUSES = ("signed", "active", "ended", "terminated")

# Places per contract over time: the contract's own terms, then each signed amendment.
SEGMENTS = """
seg AS (
    SELECT k.id AS contract_id, k.centre_id, s.valid_from,
           COALESCE(LEAD(s.valid_from) OVER (PARTITION BY k.id ORDER BY s.valid_from) - 1,
                    k."end") AS valid_to,
           s.places
    FROM contracts_contract k
    CROSS JOIN LATERAL (
        SELECT k.start AS valid_from, k.places
        UNION ALL
        SELECT a.valid_from, a.places FROM contracts_amendment a
        WHERE a.contract_id = k.id AND a.status = 'signed'
          AND a.valid_from > k.start AND a.valid_from <= k."end"
    ) s
    WHERE k.status IN ('signed', 'active', 'ended', 'terminated')
      {centre_filter_k}
)"""

COURSES = """
crs AS (
    SELECT c.id, c.candidate_id, k.centre_id, c.start, c."end", c.outcome,
           c.self_supporting_4w, c.self_supporting_13w, c.self_supporting_26w,
           GREATEST(0, LEAST(COALESCE(c."end", %(t)s), %(t)s, k."end")
                       - GREATEST(c.start, %(f)s, k.start) + 1) AS occ_days,
           c.start BETWEEN %(f)s AND %(t)s AS started,
           c."end" IS NOT NULL AND c."end" BETWEEN %(f)s AND %(t)s AS ended,
           c."end" IS NULL OR c."end" >= %(t)s AS active_at_end,
           c.start < (cand.birth_date + INTERVAL '25 years')::date AS under_25,
           c."end" - c.start + 1 AS duration_days
    FROM candidates_course c
    JOIN contracts_contract k ON k.id = c.contract_id
    JOIN candidates_candidate cand ON cand.id = c.candidate_id
    WHERE c.start <= %(t)s AND (c."end" IS NULL OR c."end" >= %(f)s)
      {centre_filter_k}
)"""


def _outcome_columns(prefix: str, condition: str) -> list[str]:
    return [
        f"COUNT(*) FILTER (WHERE ended AND outcome = '{code}'{condition}) AS {prefix}{code}"
        for code in Outcome.values
    ]


def _course_aggregates() -> str:
    direct = ", ".join(f"'{c}'" for c in DIRECT_SUCCESS_OUTCOMES)
    columns = [
        "COALESCE(SUM(occ_days), 0) AS place_days_occupied",
        "COUNT(*) FILTER (WHERE started) AS courses_started",
        "COUNT(*) FILTER (WHERE ended) AS courses_ended",
        "COUNT(DISTINCT candidate_id) FILTER (WHERE started) AS candidates",
        # One course per person on a day (exclusion constraint): courses = people here.
        "COUNT(*) FILTER (WHERE active_at_end) AS candidates_active_at_end",
        "COALESCE(SUM(duration_days) FILTER (WHERE ended), 0) AS ended_days",
        "COUNT(*) FILTER (WHERE ended AND duration_days > 91) AS ended_extended",
        f"COUNT(*) FILTER (WHERE ended AND outcome IN ({direct})) AS direct_success",
        "COUNT(*) FILTER (WHERE ended AND under_25) AS ended_under_25",
    ]
    for weeks in (4, 13, 26):
        columns += [
            f"COUNT(*) FILTER (WHERE ended AND self_supporting_{weeks}w IS NOT NULL)"
            f" AS followed_{weeks}w",
            f"COUNT(*) FILTER (WHERE ended AND self_supporting_{weeks}w)"
            f" AS self_supporting_{weeks}w",
        ]
    columns += _outcome_columns("o_all_", "")
    columns += _outcome_columns("o_u25_", " AND under_25")
    return ",\n       ".join(columns)


def grouped_figures_sql(*, centre_filter: bool) -> str:
    """Figures for the whole jobcentre (scope 'all') and per centre, company and branche."""
    k_filter = "AND k.centre_id = ANY(%(centres)s)" if centre_filter else ""
    return f"""
WITH {SEGMENTS.format(centre_filter_k=k_filter)},
avail AS (
    SELECT centre_id,
           SUM(places * GREATEST(0, LEAST(valid_to, %(t)s) - GREATEST(valid_from, %(f)s) + 1))
               AS place_days
    FROM seg GROUP BY centre_id
),
{COURSES.format(centre_filter_k=k_filter)},
centre_dims AS (
    SELECT vc.id AS centre_id, vc.company_id, co.branche
    FROM centers_centre vc JOIN centers_company co ON co.id = vc.company_id
),
course_groups AS (
    SELECT CASE WHEN GROUPING(d.centre_id) = 0 THEN 'centre'
                WHEN GROUPING(d.company_id) = 0 THEN 'company'
                WHEN GROUPING(d.branche) = 0 THEN 'branche'
                ELSE 'all' END AS scope,
           COALESCE(d.centre_id::text, d.company_id::text, d.branche, '') AS key,
           {_course_aggregates()}
    FROM crs JOIN centre_dims d ON d.centre_id = crs.centre_id
    GROUP BY GROUPING SETS ((), (d.centre_id), (d.company_id), (d.branche))
),
avail_groups AS (
    SELECT CASE WHEN GROUPING(d.centre_id) = 0 THEN 'centre'
                WHEN GROUPING(d.company_id) = 0 THEN 'company'
                WHEN GROUPING(d.branche) = 0 THEN 'branche'
                ELSE 'all' END AS scope,
           COALESCE(d.centre_id::text, d.company_id::text, d.branche, '') AS key,
           SUM(a.place_days) AS place_days_available
    FROM avail a JOIN centre_dims d ON d.centre_id = a.centre_id
    GROUP BY GROUPING SETS ((), (d.centre_id), (d.company_id), (d.branche))
)
SELECT COALESCE(a.scope, g.scope) AS grp_scope, COALESCE(a.key, g.key) AS grp_key,
       COALESCE(a.place_days_available, 0) AS place_days_available, g.*
FROM avail_groups a FULL JOIN course_groups g ON g.scope = a.scope AND g.key = a.key
"""


def monthly_figures_sql(*, centre_filter: bool) -> str:
    """Per calendar month of the period, for the jobcentre (centre_id NULL) and per centre:
    place-days, starts, ends and people active at the month's end."""
    k_filter = "AND k.centre_id = ANY(%(centres)s)" if centre_filter else ""
    return f"""
WITH months AS (
    SELECT GREATEST(m::date, %(f)s) AS m_from,
           LEAST((m + INTERVAL '1 month - 1 day')::date, %(t)s) AS m_to
    -- timestamp, not timestamptz: no time zone arithmetic for every month
    FROM generate_series(date_trunc('month', %(f)s::timestamp), %(t)s::timestamp,
                         INTERVAL '1 month') m
),
{SEGMENTS.format(centre_filter_k=k_filter)},
avail AS (
    SELECT mo.m_from, s.centre_id,
           SUM(s.places * GREATEST(0, LEAST(s.valid_to, mo.m_to)
                                      - GREATEST(s.valid_from, mo.m_from) + 1)) AS place_days
    FROM months mo JOIN seg s ON s.valid_from <= mo.m_to AND s.valid_to >= mo.m_from
    GROUP BY GROUPING SETS ((mo.m_from), (mo.m_from, s.centre_id))
),
crs AS MATERIALIZED (
    SELECT c.candidate_id, k.centre_id, c.start, c."end", k."end" AS k_end, k.start AS k_start
    FROM candidates_course c
    JOIN contracts_contract k ON k.id = c.contract_id
    WHERE c.start <= %(t)s AND (c."end" IS NULL OR c."end" >= %(f)s) {k_filter}
),
occ AS (
    SELECT mo.m_from, c.centre_id,
           SUM(GREATEST(0, LEAST(COALESCE(c."end", mo.m_to), mo.m_to, c.k_end)
                           - GREATEST(c.start, mo.m_from, c.k_start) + 1)) AS occupied,
           COUNT(*) FILTER (WHERE c.start BETWEEN mo.m_from AND mo.m_to) AS started,
           COUNT(*) FILTER (WHERE c."end" BETWEEN mo.m_from AND mo.m_to) AS ended,
           -- A person is in one course on a given day (exclusion constraint), so
           -- counting the courses that cover the last day counts people.
           COUNT(*) FILTER (WHERE c."end" IS NULL OR c."end" >= mo.m_to) AS active_at_end
    FROM months mo
    JOIN crs c ON c.start <= mo.m_to AND (c."end" IS NULL OR c."end" >= mo.m_from)
    GROUP BY GROUPING SETS ((mo.m_from), (mo.m_from, c.centre_id))
),
keys AS (
    SELECT m_from, centre_id FROM avail UNION SELECT m_from, centre_id FROM occ
    UNION SELECT m_from, NULL::bigint FROM months
)
SELECT mo.m_from, mo.m_to, keys.centre_id, COALESCE(a.place_days, 0), COALESCE(o.occupied, 0),
       COALESCE(o.started, 0), COALESCE(o.ended, 0), COALESCE(o.active_at_end, 0)
FROM keys
JOIN months mo ON mo.m_from = keys.m_from
-- Ids start at 1, so 0 stands for "the whole jobcentre" and the joins can hash.
LEFT JOIN avail a ON a.m_from = keys.m_from
                 AND COALESCE(a.centre_id, 0) = COALESCE(keys.centre_id, 0)
LEFT JOIN occ o ON o.m_from = keys.m_from
               AND COALESCE(o.centre_id, 0) = COALESCE(keys.centre_id, 0)
ORDER BY mo.m_from, keys.centre_id NULLS FIRST
"""


# Waiting list on the period's last day: who was referred and not yet placed or withdrawn.
WAITING_LIST_SQL = """
SELECT COUNT(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY %(t)s - r.referred_on)
FROM candidates_referral r
WHERE r.referred_on <= %(t)s
  AND (r.status = 'venter' OR (r.closed_on IS NOT NULL AND r.closed_on > %(t)s))
"""

# Each contract's numeric goals beside its outcomes in the period.
GOALS_SQL = """
SELECT k.id, vc.name, k.start, k."end", k.goal_ordinary_job_pct, k.goal_education_pct,
       COUNT(c.id) AS ended,
       COUNT(c.id) FILTER (WHERE c.outcome = 'ordinaert_job') AS ordinary_job,
       COUNT(c.id) FILTER (WHERE c.outcome = 'uddannelse') AS education
FROM contracts_contract k
JOIN centers_centre vc ON vc.id = k.centre_id
LEFT JOIN candidates_course c ON c.contract_id = k.id AND c."end" BETWEEN %(f)s AND %(t)s
WHERE (k.goal_ordinary_job_pct IS NOT NULL OR k.goal_education_pct IS NOT NULL)
  AND k.start <= %(t)s AND k."end" >= %(f)s
  {centre_filter}
GROUP BY k.id, vc.name
ORDER BY vc.name, k.start
"""
