"""Money in CNY (SPEC §5): Decimal with 2 places, ROUND_HALF_UP, never float.

Amounts in documents are also written in Chinese capitals (人民币大写) following the People's Bank of
China's 《正确填写票据和结算凭证的基本规定》 (annex to 《支付结算办法》), see to_chinese_capital.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from core.exceptions import PolicyError

CENT = Decimal("0.01")

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("仟", "佰", "拾", "")  # within a group of four digits
_GROUPS = ("亿", "万", "")  # groups of four digits, highest first
#: The largest amount to_chinese_capital writes: 9999亿… (DecimalField(max_digits=14) holds 12 digits).
CAPITAL_LIMIT = Decimal("999999999999.99")


def to_decimal(value: Decimal | int, *, label: str = "金额") -> Decimal:
    """`value` as a finite Decimal. A float is refused (binary floats cannot hold fen exactly)."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise PolicyError(f"{label}须为精确的十进制数值")
    value = Decimal(value)
    if not value.is_finite():
        raise PolicyError(f"{label}须为有限数值")
    return value


def non_negative(value: Decimal | int, *, label: str = "金额") -> Decimal:
    """`value` as a Decimal (see to_decimal); a negative value raises PolicyError "<label>不能为负数"."""
    value = to_decimal(value, label=label)
    if value < 0:
        raise PolicyError(f"{label}不能为负数")
    return value


def quantize_cny(value: Decimal | int) -> Decimal:
    """`value` rounded to the fen (0.01), halves away from zero (ROUND_HALF_UP): 0.005 → 0.01."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_cny(amount: Decimal | int) -> str:
    """`amount` with the yuan sign and thousands separators: "¥300,000.00", "-¥12.50"."""
    amount = quantize_cny(amount)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


def _yuan_in_capitals(yuan: int) -> str:
    """The whole-yuan part, e.g. 107000 → "壹拾万柒仟", 100500 → "壹拾万零伍佰", 0 → ""."""
    digits = f"{yuan:012d}"
    words: list[str] = []
    zero_pending = False
    for g, group_name in enumerate(_GROUPS):
        group = digits[4 * g : 4 * g + 4]
        for digit, place in zip(group, _PLACES, strict=True):
            if digit == "0":
                zero_pending = bool(words)
                continue
            if zero_pending:
                words.append("零")
                zero_pending = False
            words.append(_DIGITS[int(digit)] + place)
        if int(group) and group_name:
            words.append(group_name)
            zero_pending = False  # 壹拾万柒仟, not 壹拾万零柒仟: a group ending in 0 needs no 零
    return "".join(words)


def to_chinese_capital(amount: Decimal | int) -> str:
    """`amount` in Chinese capitals as written on bank vouchers (中文大写金额).

    300000 → "叁拾万元整", 1234.56 → "壹仟贰佰叁拾肆元伍角陆分", 0 → "零元整",
    100000.05 → "壹拾万元零伍分", 10.50 → "壹拾元伍角整", 0.35 → "叁角伍分".

    The amount is first rounded to the fen (quantize_cny). Rules of 《正确填写票据和结算凭证的基本规定》:
    "整" follows an amount that ends at 元 or 角 (after 角 it is optional; we write it so nothing can
    be appended), never one that ends at 分; a run of zeros inside the number is one "零"; when 角 is 0
    and 分 is not, "零" follows "元". Where the rules leave a choice, no "零" is written between 元 and a
    non-zero 角 (1680.32 → "壹仟陆佰捌拾元叁角贰分") nor after a 万/亿 group followed by a non-zero
    thousands digit (107000 → "壹拾万柒仟"). "壹拾" keeps its "壹". An amount below one yuan omits
    "零元" (0.50 → "伍角整"). Negative amounts and amounts of 1万亿 or more raise PolicyError.
    """
    amount = quantize_cny(amount)
    if amount < 0:
        raise PolicyError("金额不能为负数")
    if amount > CAPITAL_LIMIT:
        raise PolicyError("金额过大，超出大写金额的书写范围（万亿以下）")
    fen_total = int(amount * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if fen_total == 0:
        return "零元整"
    words = (_yuan_in_capitals(yuan) + "元") if yuan else ""
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif fen and yuan:
        words += "零"
    return words + (_DIGITS[fen] + "分" if fen else "整")
