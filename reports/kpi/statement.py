"""All key figures of a period as one PostgreSQL statement that returns the finished JSON.

The courses are scanned once (`crs`); everything else - per centre, rolled up to company,
branche and the whole jobcentre with GROUPING SETS, per month, outcomes, costs, goals, the
campaign goals and the waiting list - is aggregated from that scan and a few small tables,
into compact JSON of counts and amounts that the job stores as it is; `figures.py` turns
them into the documented figures (percentages are arithmetic on the counts) when read.

Definitions (issue "Statistics and the jobcenterchef's KPI dashboard"):
- place_days_available: places x days of each counted contract (signed, active, ended,
  terminated) inside the period; a signed amendment changes the places from its valid_from;
- place_days_occupied: days of each course inside the period and its contract, from start
  to the actual end (a running course: to the period's end);
- a course "started"/"ended" in the period when its start/end lies in it; a person is
  active at the end when a course of theirs covers the period's last day;
- persons in a course in a month (the campaign's count, issue 30): distinct persons with a
  course on any day of the month; `persons`: distinct persons with a course in the period;
- age groups use the age at course start (under 25 = unge);
- costs: the contracts' payments by the billing rules (billing/totals.py) plus the
  jobcentre's own yearly costs pro rata by day, shared between centres by place-days.

Parameters: f, t (the period), all_centres / centres (a centre filter), statuses, start,
end, all, ids (the billing totals'), direct (the direct-success codes), saving_default
(the yearly benefit saving when the jobcentre has not set one) and the course rules'
numbers in RULE_PARAMS (candidates/rules.py: normal_course_days, unge_age), so that no rule
is restated here. The jobcentre's settings -
the saving per person leaving for job or education and the target group size - are read
in the statement and kept with the counts, so that reading them back gives the figures as
computed.
"""

from billing.totals import TOTALS_SQL
from candidates import rules as course_rules
from candidates.models import Outcome

# The course rules the statement applies, as parameters (one home: candidates/rules.py).
RULE_PARAMS = {
    # a course is extended when it lasts more than 13 weeks (days, both ends counted)
    "normal_course_days": course_rules.NORMAL_COURSE_DAYS,
    # under 25 at course start = unge
    "unge_age": course_rules.UNGE_AGE_LIMIT,
}

# The stored counts' layout; figures.py reads only this format (older results are computed
# again).
FORMAT = 4

# The order of the counts in a stored group row; `figures.py` turns rows into figures.
ROW_FIELDS = (
    "avail",
    "occupied",
    "started",
    "ended",
    "people",
    "active",
    "ended_days",
    "extended",
    "direct",
    "ended_u25",
    "ss4",
    "f4",
    "ss13",
    "f13",
    "ss26",
    "f26",
    "cost",
)


def _counts(g: str, people: str) -> str:
    """A group's counts as a JSON array (ROW_FIELDS, then the outcome counts all and
    under 25 in code order). Percentages are arithmetic on these, done when read."""
    values = ", ".join(
        f"round({g}.cost, 2)"
        if name == "cost"
        else people
        if name == "people"
        else f"COALESCE({g}.{name}, 0)"
        for name in ROW_FIELDS
    )
    o_all = _outcome_columns(f"COALESCE({g}.{{col}}, 0)", only="o_")
    o_u25 = _outcome_columns(f"COALESCE({g}.{{col}}, 0)", only="u_")
    return f"json_build_array({values}, json_build_array({o_all}), json_build_array({o_u25}))"


def _outcome_columns(template: str, only: str = "") -> str:
    """The outcome count columns (o_<code>: ended, u_<code>: of them under 25) in code
    order, through `template`."""
    cols = [f"{p}{code}" for code in Outcome.values for p in ("o_", "u_") if p.startswith(only)]
    return ", ".join(
        template.format(col=col, code=col[2:], n="n" if col[0] == "o" else "n_u25") for col in cols
    )


# Per centre, company (of several centres), branche and all: the CASE and key of a
# GROUPING SETS row.
_SCOPE = """CASE WHEN GROUPING({p}centre_id) = 0 THEN 'centre'
                WHEN GROUPING({p}shared_company_id) = 0 THEN 'company'
                WHEN GROUPING({p}branche) = 0 THEN 'branche'
                ELSE 'all' END AS scope,
           COALESCE({p}centre_id::text, {p}shared_company_id::text, {p}branche, '') AS key"""

KPI_SQL = f"""
WITH
counted AS (
    SELECT k.id, k.centre_id, k.start, k."end", k.places,
           k.goal_ordinary_job_pct, k.goal_education_pct
    FROM contracts_contract k
    WHERE k.status = ANY(%(statuses)s)  -- signed by both parties (billing's statuses)
      AND k.start <= %(t)s AND k."end" >= %(f)s
      AND (%(all_centres)s OR k.centre_id = ANY(%(centres)s))
),
seg AS MATERIALIZED (
    -- the contracts' places, one row per version, cut to the period (d_from..d_to)
    SELECT centre_id, places, GREATEST(valid_from, %(f)s) AS d_from,
           LEAST(valid_to, %(t)s) AS d_to
    FROM (
        SELECT k.centre_id, s.valid_from, s.places,
               COALESCE(LEAD(s.valid_from) OVER (PARTITION BY k.id ORDER BY s.valid_from) - 1,
                        k."end") AS valid_to
        FROM counted k
        CROSS JOIN LATERAL (
            SELECT k.start AS valid_from, k.places
            UNION ALL
            SELECT a.valid_from, a.places FROM contracts_amendment a
            WHERE a.contract_id = k.id AND a.status = 'signed'
              AND a.valid_from > k.start AND a.valid_from <= k."end"
        ) s
    ) versions
    WHERE GREATEST(valid_from, %(f)s) <= LEAST(valid_to, %(t)s)
),
months AS MATERIALIZED (
    -- timestamp, not timestamptz: no time zone arithmetic for every month
    SELECT m AS m_key, GREATEST(m::date, %(f)s) AS m_from,
           LEAST((m + INTERVAL '1 month - 1 day')::date, %(t)s) AS m_to
    FROM generate_series(date_trunc('month', %(f)s::timestamp), %(t)s::timestamp,
                         INTERVAL '1 month') m
),
crs AS MATERIALIZED (
    SELECT c.candidate_id, c.contract_id, k.centre_id, c."end", c.outcome,
           c.self_supporting_4w, c.self_supporting_13w, c.self_supporting_26w,
           -- the first and last day counted as occupied (occupied when last >= first)
           GREATEST(c.start, %(f)s, k.start) AS occ_from,
           LEAST(COALESCE(c."end", %(t)s), %(t)s, k."end") AS occ_to,
           GREATEST(0, LEAST(COALESCE(c."end", %(t)s), %(t)s, k."end")
                       - GREATEST(c.start, %(f)s, k.start) + 1) AS occ_days,
           c.start BETWEEN %(f)s AND %(t)s AS started,
           c."end" IS NOT NULL AND c."end" BETWEEN %(f)s AND %(t)s AS ended,
           -- one course per person on a day (exclusion constraint): courses = people here
           c."end" IS NULL OR c."end" >= %(t)s AS active_at_end,
           c.start < (cand.birth_date + make_interval(years => %(unge_age)s))::date
               AS under_25,
           c."end" - c.start + 1 AS duration_days
    FROM candidates_course c
    JOIN contracts_contract k ON k.id = c.contract_id
    JOIN candidates_candidate cand ON cand.id = c.candidate_id
    WHERE c.start <= %(t)s AND (c."end" IS NULL OR c."end" >= %(f)s)
      AND (%(all_centres)s OR k.centre_id = ANY(%(centres)s))
),
dims AS MATERIALIZED (
    SELECT vc.id AS centre_id, vc.name, vc.company_id, co.branche
    FROM centers_centre vc JOIN centers_company co ON co.id = vc.company_id
),
-- The courses per centre and pair of months: the month of their first occupied day in
-- the period and that of their last (an ended course's last occupied day is its end, as
-- courses lie within their contracts - a database trigger). A course spans at most a few
-- months, so these rows are few; the centres' counts and the month series below are
-- their sums. Everything else about ended courses comes from ended_outcomes.
spans AS MATERIALIZED (
    SELECT centre_id, date_trunc('month', occ_from::timestamp) AS m_first,
           date_trunc('month', occ_to::timestamp) AS m_last,
           COUNT(*)::int AS begun, COUNT(*) FILTER (WHERE started)::int AS started,
           COUNT(*) FILTER (WHERE active_at_end)::int AS active,
           SUM(occ_days)::int AS occupied,
           COUNT(*) FILTER (WHERE occ_days > 0)::int AS occupying,
           COALESCE(SUM(occ_from - %(f)s) FILTER (WHERE occ_days > 0), 0)::int AS first_days,
           COALESCE(SUM(occ_to - %(f)s) FILTER (WHERE occ_days > 0), 0)::int AS last_days,
           COUNT(*) FILTER (WHERE ended AND occ_days > 0)::int AS ended,
           -- ended on the last day of its month (of the period): still active that day
           COUNT(*) FILTER (WHERE ended AND occ_days > 0
                            AND ("end" = %(t)s OR date_part('day', "end" + 1) = 1))::int
               AS ended_last
    FROM crs GROUP BY 1, 2, 3
),
ended_outcomes AS (
    -- the ended courses per contract and outcome: the outcome figures, the other figures
    -- of ended courses and the contracts' goals
    SELECT contract_id, centre_id, outcome,
           COUNT(*)::int AS n, COUNT(*) FILTER (WHERE under_25)::int AS n_u25,
           SUM(duration_days)::int AS ended_days,
           -- extended: beyond 13 weeks (candidates.rules.is_extended)
           COUNT(*) FILTER (WHERE duration_days > %(normal_course_days)s)::int AS extended,
           COUNT(*) FILTER (WHERE self_supporting_4w)::int AS ss4,
           COUNT(self_supporting_4w)::int AS f4,
           COUNT(*) FILTER (WHERE self_supporting_13w)::int AS ss13,
           COUNT(self_supporting_13w)::int AS f13,
           COUNT(*) FILTER (WHERE self_supporting_26w)::int AS ss26,
           COUNT(self_supporting_26w)::int AS f26
    FROM crs WHERE ended GROUP BY contract_id, centre_id, outcome
),
centre_ended AS (
    -- int counts: summing int gives bigint, summing bigint gives the much slower numeric
    SELECT centre_id, SUM(n)::int AS ended, SUM(ended_days)::int AS ended_days,
           SUM(extended)::int AS extended,
           (SUM(n) FILTER (WHERE outcome = ANY(%(direct)s)))::int AS direct,
           SUM(n_u25)::int AS ended_u25, SUM(ss4)::int AS ss4, SUM(f4)::int AS f4,
           SUM(ss13)::int AS ss13, SUM(f13)::int AS f13, SUM(ss26)::int AS ss26,
           SUM(f26)::int AS f26,
           {_outcome_columns("(SUM({n}) FILTER (WHERE outcome = '{code}'))::int AS {col}")}
    FROM ended_outcomes GROUP BY centre_id
),
per_centre AS (
    SELECT centre_id, SUM(occupied) AS occupied, SUM(started) AS started,
           SUM(active) AS active
    FROM spans GROUP BY centre_id
),
avail_c AS (
    SELECT centre_id, SUM(places * (d_to - d_from + 1)) AS place_days
    FROM seg GROUP BY centre_id
),
payments AS (
    SELECT c.centre_id, SUM(t.amount) AS amount
    FROM ({TOTALS_SQL}) AS t(contract_id, amount)
    JOIN counted c ON c.id = t.contract_id  -- the same contracts, cut to the centres
    GROUP BY c.centre_id
),
own AS (
    -- the jobcentre's own yearly costs, pro rata by day
    SELECT COALESCE(SUM((jobkonsulent_salaries + mentor_courses)
               * (LEAST(%(t)s, make_date(year, 12, 31))
                  - GREATEST(%(f)s, make_date(year, 1, 1)) + 1)
               / (make_date(year, 12, 31) - make_date(year, 1, 1) + 1)), 0) AS amount
    FROM reports_jobcentercost
    WHERE year BETWEEN EXTRACT(YEAR FROM %(f)s::date) AND EXTRACT(YEAR FROM %(t)s::date)
),
base AS MATERIALIZED (
    SELECT d.centre_id, d.company_id, d.branche,
           -- a company with one centre in the period has that centre's figures, which
           -- the reader copies; only companies of several centres are grouped
           CASE WHEN COUNT(*) OVER (PARTITION BY d.company_id) > 1 THEN d.company_id END
               AS shared_company_id,
           COALESCE(a.place_days, 0)::int AS avail,
           COALESCE(p.occupied, 0)::int AS occupied, COALESCE(p.started, 0)::int AS started,
           o.ended, COALESCE(p.active, 0)::int AS active,
           o.ended_days, o.extended, o.direct, o.ended_u25, o.ss4, o.f4, o.ss13, o.f13,
           o.ss26, o.f26,
           {_outcome_columns("o.{col}")},
           -- payments, plus the own costs shared by place-days available
           COALESCE(pay.amount, 0)
           + COALESCE(own.amount * a.place_days / NULLIF(SUM(a.place_days) OVER (), 0), 0)
               AS cost
    FROM dims d
    LEFT JOIN avail_c a ON a.centre_id = d.centre_id
    LEFT JOIN per_centre p ON p.centre_id = d.centre_id
    LEFT JOIN centre_ended o ON o.centre_id = d.centre_id
    LEFT JOIN payments pay ON pay.centre_id = d.centre_id
    CROSS JOIN own
    WHERE a.centre_id IS NOT NULL OR p.centre_id IS NOT NULL
),
groups AS (
    SELECT {_SCOPE.format(p="")},
           SUM(avail) AS avail, SUM(occupied) AS occupied, SUM(started) AS started,
           SUM(ended) AS ended, SUM(active) AS active, SUM(ended_days) AS ended_days,
           SUM(extended) AS extended, SUM(direct) AS direct, SUM(ended_u25) AS ended_u25,
           SUM(ss4) AS ss4, SUM(f4) AS f4, SUM(ss13) AS ss13, SUM(f13) AS f13,
           SUM(ss26) AS ss26, SUM(f26) AS f26, COALESCE(SUM(cost), 0) AS cost,
           {_outcome_columns("SUM({col}) AS {col}")}
    FROM base
    GROUP BY GROUPING SETS ((), (centre_id), (shared_company_id), (branche))
    HAVING GROUPING(shared_company_id) = 1 OR shared_company_id IS NOT NULL
),
repeaters AS (
    -- the few people who started more than one course in the period
    SELECT candidate_id FROM crs WHERE started GROUP BY candidate_id HAVING COUNT(*) > 1
),
repeats AS (
    -- per group: the started courses beyond each repeater's first, which the count of
    -- distinct people started leaves out (everyone else started one course)
    SELECT scope, key, SUM(n - 1) AS n
    FROM (
        SELECT {_SCOPE.format(p="d.")}, COUNT(*) AS n
        FROM crs c JOIN repeaters r ON r.candidate_id = c.candidate_id
        JOIN base d ON d.centre_id = c.centre_id
        WHERE c.started
        GROUP BY GROUPING SETS ((c.candidate_id, d.centre_id),
                                (c.candidate_id, d.shared_company_id),
                                (c.candidate_id, d.branche), (c.candidate_id))
    ) per_person
    GROUP BY scope, key
),
g AS (
    SELECT groups.scope, groups.key,
           {_counts("groups", people="groups.started - COALESCE(repeats.n, 0)")} AS counts
    FROM groups
    LEFT JOIN repeats ON repeats.scope = groups.scope AND repeats.key = groups.key
),
-- The month series without pairing every course with every month. A course adds to the
-- month of its first occupied day the days from there to the month's end, takes from
-- the month of its last occupied day the days after it, and is open in between; so a
-- month's place-days are (courses open before it + those starting in it) x its days
-- - the start days' offsets into it - (those ending in it) x (its days - 1) + the end
-- days' offsets. Contract segments do the same weighted by places. Offsets are kept as
-- day numbers from the period's start, summed per centre and month.
month_sums AS (
    SELECT centre_id, m_key,
           SUM(p_from)::int AS p_from, SUM(p_from_days)::int AS p_from_days,
           SUM(p_to)::int AS p_to, SUM(p_to_days)::int AS p_to_days,
           SUM(c_from)::int AS c_from, SUM(c_from_days)::int AS c_from_days,
           SUM(c_to)::int AS c_to, SUM(c_to_days)::int AS c_to_days,
           SUM(begun)::int AS begun, SUM(started)::int AS started,
           SUM(ended)::int AS ended, SUM(ended_last)::int AS ended_last
    FROM (
        SELECT centre_id, date_trunc('month', d_from::timestamp) AS m_key,
               places AS p_from, places * (d_from - %(f)s) AS p_from_days,
               0 AS p_to, 0 AS p_to_days, 0 AS c_from, 0 AS c_from_days, 0 AS c_to,
               0 AS c_to_days, 0 AS begun, 0 AS started, 0 AS ended, 0 AS ended_last
        FROM seg
        UNION ALL
        SELECT centre_id, date_trunc('month', d_to::timestamp), 0, 0,
               places, places * (d_to - %(f)s), 0, 0, 0, 0, 0, 0, 0, 0
        FROM seg
        UNION ALL
        SELECT centre_id, m_first, 0, 0, 0, 0, occupying, first_days, 0, 0, begun, started,
               0, 0
        FROM spans
        UNION ALL
        SELECT centre_id, m_last, 0, 0, 0, 0, 0, 0, occupying, last_days, 0, 0, ended,
               ended_last
        FROM spans
    ) events
    GROUP BY centre_id, m_key
),
grid AS (
    SELECT b.centre_id, mo.m_from, mo.m_to, mo.m_to - mo.m_from + 1 AS len,
           mo.m_from - %(f)s AS m0,
           COALESCE(s.p_from, 0) AS p_from, COALESCE(s.p_from_days, 0) AS p_from_days,
           COALESCE(s.p_to, 0) AS p_to, COALESCE(s.p_to_days, 0) AS p_to_days,
           COALESCE(s.c_from, 0) AS c_from, COALESCE(s.c_from_days, 0) AS c_from_days,
           COALESCE(s.c_to, 0) AS c_to, COALESCE(s.c_to_days, 0) AS c_to_days,
           COALESCE(s.begun, 0) AS begun, COALESCE(s.started, 0) AS started,
           COALESCE(s.ended, 0) AS ended, COALESCE(s.ended_last, 0) AS ended_last,
           COALESCE(SUM(s.p_from - s.p_to) OVER before, 0) AS p_open,
           COALESCE(SUM(s.c_from - s.c_to) OVER before, 0) AS c_open
    FROM base b CROSS JOIN months mo
    LEFT JOIN month_sums s ON s.centre_id = b.centre_id AND s.m_key = mo.m_key
    WINDOW before AS (PARTITION BY b.centre_id ORDER BY mo.m_from
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
),
cm AS (
    SELECT centre_id, m_from, m_to, begun, started, ended, ended_last,
           (p_open + p_from) * len - (p_from_days - p_from * m0)
           - p_to * (len - 1) + (p_to_days - p_to * m0) AS avail,
           (c_open + c_from) * len - (c_from_days - c_from * m0)
           - c_to * (len - 1) + (c_to_days - c_to * m0) AS occupied
    FROM grid
),
month_rows AS (
    -- people active on a month's last day: courses begun by then less those ended before
    SELECT m_from, m_to, avail, occupied, started, ended,
           SUM(begun - ended) OVER (ORDER BY m_from) + ended_last AS active
    FROM (SELECT m_from, m_to, SUM(avail) AS avail, SUM(occupied) AS occupied,
                 SUM(started) AS started, SUM(ended) AS ended, SUM(begun) AS begun,
                 SUM(ended_last) AS ended_last
          FROM cm GROUP BY m_from, m_to) m
),
month_persons AS (
    -- distinct persons in a course on any day of each month (the campaign's count)
    SELECT mo.m_from, COUNT(DISTINCT c.candidate_id)::int AS n
    FROM months mo
    JOIN crs c ON c.occ_days > 0 AND c.occ_from <= mo.m_to AND c.occ_to >= mo.m_from
    GROUP BY mo.m_from
),
spark AS (
    -- each centre's occupied and available place-days per month of the period
    SELECT centre_id, json_agg(json_build_array(occupied, avail) ORDER BY m_from) AS series
    FROM cm GROUP BY centre_id
),
goals AS (
    SELECT k.id, d.name, k.start, k."end", k.goal_ordinary_job_pct, k.goal_education_pct,
           COALESCE(o.ended, 0) AS ended, COALESCE(o.ordinary_job, 0) AS ordinary_job,
           COALESCE(o.education, 0) AS education
    FROM counted k
    JOIN dims d ON d.centre_id = k.centre_id
    LEFT JOIN (
        SELECT contract_id, SUM(n)::int AS ended,
               (SUM(n) FILTER (WHERE outcome = 'ordinaert_job'))::int AS ordinary_job,
               (SUM(n) FILTER (WHERE outcome = 'uddannelse'))::int AS education
        FROM ended_outcomes GROUP BY contract_id
    ) o ON o.contract_id = k.id
    WHERE k.goal_ordinary_job_pct IS NOT NULL OR k.goal_education_pct IS NOT NULL
),
waiting AS (
    SELECT COUNT(*) AS n,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY %(t)s - r.referred_on) AS median
    FROM candidates_referral r
    WHERE r.referred_on <= %(t)s
      AND (r.status = 'venter' OR (r.closed_on IS NOT NULL AND r.closed_on > %(t)s))
),
overall AS (SELECT * FROM g WHERE scope = 'all')
SELECT json_build_object(
    'format', {FORMAT},
    'period', json_build_array(%(f)s::date, %(t)s::date),
    'saving', COALESCE((SELECT s.yearly_benefit_saving FROM reports_jobcentersettings s),
                       %(saving_default)s::numeric),
    'target', (SELECT s.target_group_size FROM reports_jobcentersettings s),
    'goal1_target', (SELECT s.goal1_target_persons FROM reports_jobcentersettings s),
    'baseline_month', (SELECT s.campaign_baseline_month FROM reports_jobcentersettings s),
    'overall', (SELECT o.counts FROM overall o),
    'centres', COALESCE((
        SELECT json_agg(json_build_array(d.centre_id, d.name, f.counts, sp.series)
                        ORDER BY d.name, d.centre_id)
        FROM g f JOIN dims d ON f.scope = 'centre' AND d.centre_id = f.key::bigint
        LEFT JOIN spark sp ON sp.centre_id = d.centre_id), '[]'::json),
    'companies', COALESCE((
        -- a company of several centres with its counts, one with a single centre with
        -- that centre's id (the reader copies the centre's counts)
        SELECT json_agg(json_build_array(co.id, co.name, f.counts, c.centre_id)
                        ORDER BY co.name, co.id)
        FROM (SELECT company_id,
                     MIN(centre_id) FILTER (WHERE shared_company_id IS NULL) AS centre_id
              FROM base GROUP BY company_id) c
        JOIN centers_company co ON co.id = c.company_id
        LEFT JOIN g f ON f.scope = 'company' AND f.key = c.company_id::text),
        '[]'::json),
    'branches', COALESCE((
        SELECT json_agg(json_build_array(f.key, f.counts) ORDER BY f.key)
        FROM g f WHERE f.scope = 'branche'), '[]'::json),
    'months', COALESCE((
        SELECT json_agg(json_build_array(m.m_from, m.m_to, m.avail, m.occupied, m.started,
                                         m.ended, m.active, COALESCE(mp.n, 0))
                        ORDER BY m.m_from)
        FROM month_rows m LEFT JOIN month_persons mp ON mp.m_from = m.m_from), '[]'::json),
    'persons', (SELECT COUNT(DISTINCT candidate_id) FROM crs WHERE occ_days > 0),
    'goals', COALESCE((
        SELECT json_agg(json_build_array(gl.id, gl.name, gl.start, gl."end",
                                         gl.goal_ordinary_job_pct, gl.goal_education_pct,
                                         gl.ended, gl.ordinary_job, gl.education)
                        ORDER BY gl.name, gl.start)
        FROM goals gl), '[]'::json),
    'waiting', (SELECT json_build_array(n, median) FROM waiting)
) AS figures
"""  # noqa: S608 - fixed fragments; every value is a parameter

KPI_STORE_SQL = f"""
WITH stored AS (
    INSERT INTO reports_kpiresult (period_from, period_to, figures, computed_at,
                                   mentor_support_ytd, job_run_id)
    SELECT %(f)s, %(t)s, figures, now(), %(mentor_support_ytd)s, %(job_run)s
    FROM ({KPI_SQL}) AS computed
    ON CONFLICT (period_from, period_to)
    DO UPDATE SET figures = EXCLUDED.figures, computed_at = EXCLUDED.computed_at,
                  mentor_support_ytd = EXCLUDED.mentor_support_ytd,
                  job_run_id = EXCLUDED.job_run_id
    RETURNING id
),
finished AS (
    -- the job run is done when the figures are stored (after them: it joins their row)
    UPDATE reports_jobrun SET state = %(done)s, finished_at = clock_timestamp(), message = ''
    FROM stored WHERE reports_jobrun.id = %(job_run)s
)
SELECT id FROM stored
"""  # noqa: S608 - fixed fragments; every value is a parameter
