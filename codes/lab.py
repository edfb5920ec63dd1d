"""The law's numbers for virksomhedspraktik, one home for every floor that needs them.

Lov om en aktiv beskæftigelsesindsats (LAB, lovbekendtgørelse nr. 280 af 1. marts 2024),
kapitel 11. The contract (its normal course length), the course rules (candidates/rules.py)
and the import read them here; the functions that apply them live in candidates/rules.py.
The next main law is planned for 1 January 2027 (docs/DOMAIN.md, last section): when it
changes a number, it changes here.
"""

from decimal import Decimal

# § 61, stk. 1, nr. 2: a course is up to 13 weeks ...
NORMAL_COURSE_WEEKS = 13
# ... extendable to 26 weeks after a concrete, individual assessment (§ 61, stk. 2), and
# beyond that 13 weeks at a time where there is a very special need.
EXTENDED_COURSE_WEEKS = 26
# At most 37 hours a week (docs/DOMAIN.md, "Virksomhedspraktik, LAB section 61").
MAX_HOURS_PER_WEEK = Decimal(37)

# Rimelighedskravet (the staff-ratio rule), bekendtgørelse nr. 2636 af 28. december 2021 om
# en aktiv beskæftigelsesindsats, § 65 (issued under LAB § 48), counted per production unit
# (P-number). Persons in virksomhedspraktik, wage subsidy and nytteindsats together may be at
# most 1 for every 5 ordinary employees up to 50 employees, always at least 1, and beyond that
# 1 for every 10 ordinary employees (stk. 1). docs/RULES.md gives the sources and where the
# older orders (BEK nr. 1297 af 9/11 2017 § 92) counted differently.
STAFF_RATIO_EMPLOYEES_PER_PERSON = 5
STAFF_RATIO_FIRST_BAND_EMPLOYEES = 50
STAFF_RATIO_EMPLOYEES_PER_PERSON_BEYOND = 10
STAFF_RATIO_MINIMUM_PERSONS = 1
# Stk. 4: the ordinary employees are the average of the last 4 months before the placement.
STAFF_RATIO_AVERAGE_MONTHS = 4
