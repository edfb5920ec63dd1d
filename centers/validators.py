"""CVR and P-numbers: the rule lives in codes/cvr.py (the ground floor, one home).

These names stay here because migrations name centers.validators.validate_cvr and
validate_p_number.
"""

from codes.cvr import CVR_WEIGHTS, cvr_is_valid, validate_cvr, validate_p_number

__all__ = ["CVR_WEIGHTS", "cvr_is_valid", "validate_cvr", "validate_p_number"]
