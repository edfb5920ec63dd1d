"""CPR numbers: the rule lives in codes/cpr.py (the ground floor, one home).

These names stay here because migrations (0001, 0005) name candidates.validators.validate_cpr.
"""

from codes.cpr import cpr_birth_date, cpr_masked, validate_cpr

__all__ = ["cpr_birth_date", "cpr_masked", "validate_cpr"]
