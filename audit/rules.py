"""Rules of the audit log: pure functions, no database (docs/RULES.md, "Access")."""

from codes.cpr import cpr_masked, cpr_normalise


def search_criteria(value: str) -> str:
    """A search text as the log keeps it: a CPR number (all digits, with or without dash)
    as "CPR-søgning" and the number masked (DDMMYY-XXXX, `codes.cpr.cpr_masked`); up to six
    digits are a birth date (DDMMYY) and stay; other text (a name, a centre) as typed.

    Source: Datatilsynet (a search is logged with its criteria); the CPR number is never
    in the log in clear (issue 17)."""
    value = (value or "").strip()
    digits = cpr_normalise(value)
    if digits.isdigit():
        if len(digits) <= 6:
            return f"CPR-søgning: {digits}"
        return f"CPR-søgning: {cpr_masked(digits.ljust(10, 'X')[:10])}"
    return value


def neutral_label(kind: str, pk) -> str:
    """How an audit row names an object: its kind and id ("Kandidat #12"), never its text.

    An object's str() may carry a person's name (a candidate, a course "Carl Kursist
    02.02.2015", a goal's text); the log is append-only and outlives the anonymisation, so
    no name goes in. The audit pages show the current name while the person exists."""
    return f"{kind[:1].upper()}{kind[1:]} #{pk}"
