"""Human-readable numbers: parameter counts and token counts."""

from __future__ import annotations

_SCALES = (("T", 10**12), ("B", 10**9), ("M", 10**6), ("K", 10**3))


def short_count(value: int) -> str:
    """7_241_732_096 -> '7.24B', 175_000_000_000 -> '175B', 405_853_388_800 -> '405.9B' (three significant
    digits, four from 100 up so that 405.9B does not round to a misleading 406B)."""
    for index, (suffix, scale) in enumerate(_SCALES):
        if value >= scale:
            text = f"{value / scale:.4g}" if value >= 100 * scale else f"{value / scale:.3g}"
            if float(text) >= 1000 and index > 0:  # 999.99B rounds to 1000B: say 1T instead
                suffix, scale = _SCALES[index - 1]
                text = f"{value / scale:.3g}"
            return f"{text}{suffix}"
    return str(value)


def grouped(value: int) -> str:
    """7241732096 -> '7,241,732,096'."""
    return f"{value:,}"


def short_context(value: int) -> str:
    """Context windows are often binary (8192 -> '8K', 131072 -> '128K', 1048576 -> '1M'), sometimes decimal
    (128000 -> '128K', 1000000 -> '1M'): a round decimal number is read as decimal."""
    if value % 1000 == 0 or value % 1024:
        return short_count(value)
    if value % (1024 * 1024) == 0:
        return f"{value // (1024 * 1024)}M"
    return f"{value // 1024}K"


def short_bytes(value: int) -> str:
    """4_368_439_584 -> '4.37 GB' (decimal units, as file managers and the Hugging Face Hub show sizes)."""
    for suffix, scale in (("TB", 10**12), ("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if value >= scale:
            return f"{value / scale:.3g} {suffix}"
    return f"{value} bytes"
