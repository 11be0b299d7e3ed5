"""When a mail may leave: working days, quiet hours, the blogger's cadence. Pure.

All times are aware datetimes in the organisation's time zone; nobody gets a
pitch at 22:00 or on a Sunday unless the organisation says so.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

CADENCE_DAYS = {"any": 0, "monthly": 30, "quarterly": 91}


@dataclass(frozen=True)
class Window:
    from_hour: int = 9
    until_hour: int = 18
    weekends: bool = False

    def open_at(self, moment: datetime) -> bool:
        if not self.weekends and moment.weekday() >= 5:
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
        while not self.weekends and candidate.weekday() >= 5:
            candidate = datetime.combine(candidate.date() + timedelta(days=1), time(self.from_hour),
                                         tzinfo=moment.tzinfo)
        return candidate


def add_working_days(moment: datetime, days: int) -> datetime:
    """`days` working days (Monday to Friday) after `moment`, same time of day."""
    result = moment
    remaining = days
    while remaining > 0:
        result += timedelta(days=1)
        if result.weekday() < 5:
            remaining -= 1
    return result


def cadence_allows_from(last_contact: datetime | None, cadence: str) -> datetime | None:
    """The earliest moment the blogger's cadence allows another mail (None: no limit)."""
    days = CADENCE_DAYS.get(cadence, 0)
    if not days or last_contact is None:
        return None
    return last_contact + timedelta(days=days)
