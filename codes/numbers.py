"""Numbers and money on screen, in exports' text and in PDFs: one formatting path (issue 22;
the dashboard showed "864825,68 kr." where billing showed "7.500,00 kr." and the audit log
"6.5 t"). Danish style: a full stop between thousands, a decimal comma (Retskrivningsordbogen
§ 58 and Sprognævnet: 1.500,50). Pure functions: no locale settings, no database."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def number(value, decimals: int | None = None) -> str:
    """`value` as Danish text: "1.234,5". With `decimals` exactly that many places (rounded
    half-up); without, as many as the value has, trailing zeros dropped ("6,5", "10").
    None and "" give "–" (a missing figure); text that is no number is returned as it is."""
    if value is None or value == "":
        return "–"
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not d.is_finite():
        return "–"
    if decimals is not None:
        d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{d:,.{decimals}f}"
    else:
        d = d.normalize()
        places = max(0, -d.as_tuple().exponent)  # type: ignore[operator]
        text = f"{d:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def money(value) -> str:
    """An amount in kroner with øre: "7.500,00 kr."; a missing amount "–"."""
    text = number(value, 2)
    return text if text == "–" else f"{text} kr."


def hours(value) -> str:
    """Hours as "6,5 t"."""
    text = number(value)
    return text if text == "–" else f"{text} t"
