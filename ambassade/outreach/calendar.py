"""When a mail may leave: working days, quiet hours, the blogger's cadence. Pure.

All times are aware datetimes in the organisation's time zone; nobody gets a
pitch at 22:00, on a Sunday or on a French public holiday (1er mai, Ascension,
lundi de Pentecôte…) unless the organisation sends on weekends.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

CADENCE_DAYS = {"any": 0, "monthly": 30, "quarterly": 91}


@lru_cache(maxsize=16)
def _french_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FR", years=year))


def working_day(day: date) -> bool:
    """Monday to Friday, and not a public holiday in (metropolitan) France."""
    return day.weekday() < 5 and day not in _french_holidays(day.year)


@dataclass(frozen=True)
class Window:
    from_hour: int = 9
    until_hour: int = 18
    weekends: bool = False

    def open_at(self, moment: datetime) -> bool:
        if not self.weekends and not working_day(moment.date()):
            return False
        return self.from_hour <= moment.hour < self.until_hour

    def next_open(self, moment: datetime) -> datetime:
        """`moment` itself when the window is open, else the next opening."""
        if self.open_at(moment):
            return moment
        day = moment
        if moment.hour >= self.until_hour:
            day = moment + timedelta(days=1)
        candidate = datetime.combine(day.date(), time(self.from_hour), tzinfo=moment.tzinfo)
        if candidate < moment:
            candidate = moment
        while not self.weekends and not working_day(candidate.date()):
            candidate = datetime.combine(candidate.date() + timedelta(days=1), time(self.from_hour),
                                         tzinfo=moment.tzinfo)
        return candidate


def add_working_days(moment: datetime, days: int) -> datetime:
    """`days` working days (Monday to Friday, public holidays skipped) after `moment`, same time of day."""
    result = moment
    remaining = days
    while remaining > 0:
        result += timedelta(days=1)
        if working_day(result.date()):
            remaining -= 1
    return result


def cadence_allows_from(last_contact: datetime | None, cadence: str) -> datetime | None:
    """The earliest moment the blogger's cadence allows another mail (None: no limit)."""
    days = CADENCE_DAYS.get(cadence, 0)
    if not days or last_contact is None:
        return None
    return last_contact + timedelta(days=days)
