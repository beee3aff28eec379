"""Voice of the customer: the dates of a feedback file's date column.

The order of day and month is decided once per column (:func:`date_order`), never row by row;
a column whose values fit both orders is :class:`AmbiguousDates` until a person says which.
Values with a time-zone offset are converted to UTC, each with its own offset.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cxmap.core.errors import InvalidInput
from cxmap.core.messages import Message

# A date written with numbers only, day and month in either order: 03/04/2024, 3.4.24 10:30.
_NUMERIC_DATE = r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-]\d{2,4}(?:\D|$)"
# A date that starts with its year (2024-03-04, 2024/03/04 10:00) is year-month-day whatever
# order the rest of the column uses (dateutil's day-first would read it year-day-month).
_YEAR_FIRST = r"^\s*\d{4}\D"


class AmbiguousDates(InvalidInput):
    """Every numeric date of a column fits both orders (03/04/2024): a person must say which.

    ``column`` is the header, ``example`` a value and ``row`` its file row (header = row 1).
    """

    def __init__(self, column: str, example: str, row: int) -> None:
        self.column, self.example, self.row = column, example, row
        super().__init__(
            "",
            Message("feedback.dates_ambiguous", {"column": column, "value": example, "row": row}),
        )


def date_order(values: pd.Series, column: str) -> str | None:
    """How a date column writes day and month: ``"dayfirst"`` when a value needs it (13/04),
    ``"monthfirst"`` when a value needs that (04/13), ``"either"`` when every value fits both
    (03/04), None when nothing depends on it (ISO dates, 03/03). The order is one per column:
    a column needing both is an InvalidInput naming it and a row of each.

    >>> date_order(pd.Series(["03/04/2024", "13/04/2024"]), "Date")
    'dayfirst'
    >>> date_order(pd.Series(["03/04/2024", ""]), "Date"), date_order(pd.Series(["2024-03-04"]), "D")
    ('either', None)
    >>> date_order(pd.Series(["13/04/2024", "04/13/2024"]), "Date")
    Traceback (most recent call last):
    ...
    cxmap.core.errors.InvalidInput: column 'Date' has dates with the day first (row 2: '13/04/2024') and with the month first (row 3: '04/13/2024'): use one order in the whole column
    """  # noqa: E501
    parts = values.reset_index(drop=True).astype(str).str.extract(_NUMERIC_DATE)
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    day_first = (first > 12) & (second <= 12)
    month_first = (second > 12) & (first <= 12)
    texts = values.astype(str).tolist()
    if day_first.any() and month_first.any():
        day_row = int(day_first.to_numpy().argmax())
        month_row = int(month_first.to_numpy().argmax())
        raise InvalidInput(
            "",
            Message(
                "feedback.dates_both_orders",
                {
                    "column": column,
                    "day_row": day_row + 2,
                    "day_value": texts[day_row],
                    "month_row": month_row + 2,
                    "month_value": texts[month_row],
                },
            ),  # fmt: skip
        )
    if day_first.any():
        return "dayfirst"
    if month_first.any():
        return "monthfirst"
    if ((first <= 12) & (second <= 12) & (first != second)).any():
        return "either"
    return None


def ambiguous_example(values: pd.Series) -> tuple[str, int] | None:
    """A value of an ``"either"`` column that fits both orders, and its file row.

    >>> ambiguous_example(pd.Series(["2024-01-01", "03/04/2024"]))
    ('03/04/2024', 3)
    """
    parts = values.reset_index(drop=True).astype(str).str.extract(_NUMERIC_DATE)
    first, second = pd.to_numeric(parts[0]), pd.to_numeric(parts[1])
    fits_both = ((first <= 12) & (second <= 12) & (first != second)).to_numpy()
    if not fits_both.any():
        return None
    index = int(fits_both.argmax())
    return str(values.iloc[index]), index + 2


def parse_dates(values: pd.Series, column: str, *, dayfirst: bool | None = None) -> pd.Series:
    """A column of dates as UTC timestamps (NaT for blanks and values that are not dates):
    :func:`parse_moments` without saying whether they are moments.

    The order of day and month is decided for the whole column (:func:`date_order`);
    ``dayfirst`` settles a column whose values fit either order, else :class:`AmbiguousDates`
    is raised. Values with an offset are converted to UTC, each with its own offset (a column
    spanning a daylight-saving change has two); values without one are taken as UTC. A column
    mixing both is an InvalidInput naming it and a row of each.

    >>> parse_dates(pd.Series(["2024-03-09T10:00-05:00", "2024-03-11T10:00-04:00"]), "Date")
    0   2024-03-09 15:00:00+00:00
    1   2024-03-11 14:00:00+00:00
    dtype: datetime64[us, UTC]
    >>> parse_dates(pd.Series(["03/04/2024", "13/04/2024"]), "Date").dt.date.tolist()
    [datetime.date(2024, 4, 3), datetime.date(2024, 4, 13)]
    >>> parse_dates(pd.Series(["03/04/2024"]), "Date", dayfirst=False).dt.date.tolist()
    [datetime.date(2024, 3, 4)]
    """
    return parse_moments(values, column, dayfirst=dayfirst)[0]


def parse_moments(
    values: pd.Series, column: str, *, dayfirst: bool | None = None
) -> tuple[pd.Series, bool]:
    """A column of dates as UTC timestamps (see :func:`parse_dates`), and whether they are
    moments: True when the column's values carry a time-zone offset (then every date in it
    does), False when they are dates or times without one (a wall-clock date, taken as
    written; which zone it was in nobody knows).

    >>> utc, moments = parse_moments(pd.Series(["2024-03-09T23:30-05:00", ""]), "Date")
    >>> utc[0], moments
    (Timestamp('2024-03-10 04:30:00+0000', tz='UTC'), True)
    >>> parse_moments(pd.Series(["2024-03-09 23:30"]), "Date")[1]
    False
    """
    values = values.reset_index(drop=True).astype(str).str.strip()
    order = date_order(values, column)
    if order == "either":
        if dayfirst is None:
            example = ambiguous_example(values)
            assert example is not None  # "either" means some value fits both orders
            raise AmbiguousDates(column, *example)
        day_first = dayfirst
    else:
        day_first = order == "dayfirst"
    year_first = values.str.contains(_YEAR_FIRST, regex=True).to_numpy()
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us, UTC]")
    has_offset = pd.Series(None, index=values.index, dtype="boolean")
    for part, part_day_first in ((year_first, False), (~year_first, day_first)):
        if part.any():
            parsed, offset = _utc_and_offset(values[part], part_day_first)
            result[part] = parsed.astype("datetime64[us, UTC]")
            has_offset[part] = offset
    with_offset = has_offset.fillna(False).to_numpy(dtype=bool)
    without_offset = (~has_offset).fillna(False).to_numpy(dtype=bool)
    if with_offset.any() and without_offset.any():
        offset_row, naive_row = int(with_offset.argmax()), int(without_offset.argmax())
        raise InvalidInput(
            "",
            Message(
                "feedback.dates_offset_and_none",
                {
                    "column": column,
                    "offset_row": offset_row + 2,
                    "offset_value": values[offset_row],
                    "naive_row": naive_row + 2,
                    "naive_value": values[naive_row],
                },
            ),  # fmt: skip
        )
    return result, bool(with_offset.any())


def _utc_and_offset(values: pd.Series, dayfirst: bool) -> tuple[pd.Series, pd.Series]:
    """Values parsed and converted to UTC, and whether each had an offset (NA: not a date)."""
    options: dict[str, Any] = {"errors": "coerce", "format": "mixed", "dayfirst": dayfirst}
    try:
        parsed = pd.to_datetime(values, **options)
        offset = pd.Series(parsed.dt.tz is not None, index=values.index, dtype="boolean")
        parsed = parsed.dt.tz_convert("UTC") if parsed.dt.tz else parsed.dt.tz_localize("UTC")
    except ValueError:  # "Mixed timezones detected": several offsets, or offsets and none
        parsed = pd.to_datetime(values, utc=True, **options)
        offsets = {value: _has_offset(value, dayfirst) for value in values.unique()}
        offset = values.map(offsets).astype("boolean")
    return parsed, offset.where(parsed.notna(), pd.NA)


def _has_offset(value: str, dayfirst: bool) -> bool | None:
    moment = pd.to_datetime(value, errors="coerce", dayfirst=dayfirst)
    return None if pd.isna(moment) else moment.tzinfo is not None
