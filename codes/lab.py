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
