//! The Kazakhstan business-day calendar and deadline arithmetic.
//!
//! The rules that hold every year are code: the working week is Monday to Friday; the
//! public holidays that are days off (Labour Code Art. 84, Law «On holidays»); and the
//! move of a holiday falling on a Saturday or Sunday to the next working day (Labour
//! Code Art. 85(2)), which does not apply to 7 January or to the first day of Kurban
//! Ait. What changes each year is data ([`CalendarData`]): the date of Kurban Ait and
//! the government's transfers of days off. The project ships the years it knows
//! (`data/calendar-kz.json`); an administrator imports newer data.
//!
//! Deadlines ([`DeadlineClock`]) count working days in the deployment's time zone.
//! Nothing here reads the clock: every function takes the time it works from.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{Error, ErrorCode};

/// The data the project ships.
pub const SHIPPED: &str = include_str!("../../../data/calendar-kz.json");

/// The rules are those in force since 2022 (25 October restored, 17 December no
/// longer a holiday); the calendar answers for these years only.
pub const FIRST_YEAR: i16 = 2022;
pub const LAST_YEAR: i16 = 2100;

/// Why a day is not a working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DayOff {
    Weekend,
    /// A public holiday; `name` is its message id (`holiday-nauryz`, …).
    Holiday {
        name: &'static str,
    },
    /// The day off for a holiday that fell on a weekend.
    Moved {
        holiday: Date,
    },
    /// Made a day off by a government transfer.
    Transferred {
        from: Date,
    },
}

/// One year's facts that the rules cannot compute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearData {
    pub year: i16,
    /// The first day of Kurban Ait (a day off; never moved).
    pub kurban_ait: Date,
    /// Transfers of a day off by the government.
    #[serde(default)]
    pub transfers: Vec<Transfer>,
}

/// The day off on `from` (a weekend day) moves to `to` (a weekday): `from` becomes a
/// working day, `to` a day off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    pub from: Date,
    pub to: Date,
    /// The act that ordered it.
    pub source: String,
}

/// A versioned calendar data file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarData {
    pub version: String,
    pub years: Vec<YearData>,
}

impl CalendarData {
    /// Parse and check a data file: every date in its year, transfers from a weekend
    /// day to a weekday, one entry per year.
    pub fn parse(json: &str) -> Result<CalendarData, Error> {
        let d: CalendarData = serde_json::from_str(json)
            .map_err(|_| Error::new(ErrorCode::ValidationFailed).at("calendar"))?;
        if d.version.is_empty() || d.version.len() > 64 {
            return Err(Error::new(ErrorCode::ValidationFailed).at("version"));
        }
        let mut seen = BTreeSet::new();
        for y in &d.years {
            let bad = |what: &str| {
                Err(Error::new(ErrorCode::ValidationFailed).at(format!("years.{}.{what}", y.year)))
            };
            if !(FIRST_YEAR..=LAST_YEAR).contains(&y.year) || !seen.insert(y.year) {
                return bad("year");
            }
            if y.kurban_ait.year() != y.year {
                return bad("kurban_ait");
            }
            for t in &y.transfers {
                if t.from.year() != y.year
                    || t.to.year() != y.year
                    || !is_weekend(t.from)
                    || is_weekend(t.to)
                    || t.source.trim().is_empty()
                    || t.source.len() > 300
                {
                    return bad("transfers");
                }
            }
        }
        Ok(d)
    }

    /// `self` with the years of `newer` replacing its own.
    pub fn merged(&self, newer: &CalendarData) -> CalendarData {
        let mut years: BTreeMap<i16, YearData> =
            self.years.iter().map(|y| (y.year, y.clone())).collect();
        for y in &newer.years {
            years.insert(y.year, y.clone());
        }
        CalendarData {
            version: newer.version.clone(),
            years: years.into_values().collect(),
        }
    }
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The holidays fixed by date, with their message ids; `true` when the weekend move
/// applies.
const FIXED: &[(i8, i8, &str, bool)] = &[
    (1, 1, "holiday-new-year", true),
    (1, 2, "holiday-new-year", true),
    (1, 7, "holiday-orthodox-christmas", false),
    (3, 8, "holiday-womens-day", true),
    (3, 21, "holiday-nauryz", true),
    (3, 22, "holiday-nauryz", true),
    (3, 23, "holiday-nauryz", true),
    (5, 1, "holiday-unity-day", true),
    (5, 7, "holiday-defender-day", true),
    (5, 9, "holiday-victory-day", true),
    (7, 6, "holiday-capital-day", true),
    (8, 30, "holiday-constitution-day", true),
    (10, 25, "holiday-republic-day", true),
    (12, 16, "holiday-independence-day", true),
];

/// The calendar: every day off from [`FIRST_YEAR`] to [`LAST_YEAR`].
#[derive(Debug, Clone)]
pub struct Calendar {
    days_off: BTreeMap<Date, DayOff>,
    /// Weekend days made working days by a transfer.
    working: BTreeSet<Date>,
    known: BTreeSet<i16>,
    version: String,
}

impl Calendar {
    pub fn new(data: &CalendarData) -> Calendar {
        let by_year: BTreeMap<i16, &YearData> = data.years.iter().map(|y| (y.year, y)).collect();
        let mut days_off = BTreeMap::new();
        let mut working = BTreeSet::new();
        for year in FIRST_YEAR..=LAST_YEAR {
            let yd = by_year.get(&year);
            // Holidays of the year first, then the moves, in date order.
            let mut holidays: Vec<(Date, &'static str, bool)> = FIXED
                .iter()
                .filter_map(|&(m, d, name, moves)| {
                    Date::new(year, m, d).ok().map(|date| (date, name, moves))
                })
                .collect();
            if let Some(y) = yd {
                holidays.push((y.kurban_ait, "holiday-kurban-ait", false));
            }
            holidays.sort_by_key(|h| h.0);
            for &(date, name, _) in &holidays {
                days_off.insert(date, DayOff::Holiday { name });
            }
            for &(date, _, moves) in &holidays {
                if !moves || !is_weekend(date) {
                    continue;
                }
                let mut d = date;
                while let Ok(next) = d.tomorrow() {
                    d = next;
                    if !is_weekend(d) && !days_off.contains_key(&d) {
                        days_off.insert(d, DayOff::Moved { holiday: date });
                        break;
                    }
                }
            }
            if let Some(y) = yd {
                for t in &y.transfers {
                    working.insert(t.from);
                    days_off.insert(t.to, DayOff::Transferred { from: t.from });
                }
            }
        }
        Calendar {
            days_off,
            working,
            known: by_year.keys().copied().collect(),
            version: data.version.clone(),
        }
    }

    /// The calendar from the data the project ships.
    pub fn shipped() -> Result<Calendar, Error> {
        Ok(Calendar::new(&CalendarData::parse(SHIPPED)?))
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    /// Whether the data for `year` (Kurban Ait, transfers) is known. Without it the
    /// calendar still applies the fixed rules, and a deadline may come a day early.
    pub fn year_known(&self, year: i16) -> bool {
        self.known.contains(&year)
    }

    /// Why `d` is not a working day, or `None` when it is one.
    pub fn day_off(&self, d: Date) -> Option<DayOff> {
        if self.working.contains(&d) {
            return None;
        }
        if let Some(off) = self.days_off.get(&d) {
            return Some(off.clone());
        }
        is_weekend(d).then_some(DayOff::Weekend)
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        self.day_off(d).is_none()
    }

    /// The `n`-th working day after `d` (`d` itself not counted).
    pub fn working_days_after(&self, d: Date, n: u32) -> Result<Date, Error> {
        let mut d = d;
        let mut left = n;
        while left > 0 {
            d = d.tomorrow().map_err(|_| out_of_range())?;
            if d.year() > LAST_YEAR {
                return Err(out_of_range());
            }
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// Every day of `year` that is not a working day, and the weekend days that are.
    pub fn year(&self, year: i16) -> Result<YearView, Error> {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(out_of_range());
        }
        let mut d = Date::new(year, 1, 1).map_err(|_| out_of_range())?;
        let mut view = YearView {
            year,
            known: self.year_known(year),
            version: self.version.clone(),
            working_days: 0,
            days_off: Vec::new(),
            working_weekend_days: Vec::new(),
        };
        while d.year() == year {
            match self.day_off(d) {
                None => {
                    view.working_days += 1;
                    if is_weekend(d) {
                        view.working_weekend_days.push(d);
                    }
                }
                Some(DayOff::Weekend) => {}
                Some(off) => view.days_off.push((d, off)),
            }
            d = match d.tomorrow() {
                Ok(n) => n,
                Err(_) => break,
            };
        }
        Ok(view)
    }
}

fn out_of_range() -> Error {
    Error::new(ErrorCode::ValidationFailed).at("date")
}

/// One year of the calendar, for display.
#[derive(Debug, Clone, Serialize)]
pub struct YearView {
    pub year: i16,
    pub known: bool,
    pub version: String,
    pub working_days: u32,
    /// Holidays, moved and transferred days off (weekends are not listed).
    pub days_off: Vec<(Date, DayOff)>,
    /// Weekend days that are working days by a transfer.
    pub working_weekend_days: Vec<Date>,
}

/// Resolve a time zone: an IANA name (the copy bundled with the binary first, so the
/// answer does not depend on how old the machine's tzdata is; Kazakhstan moved to
/// UTC+5 on 1 March 2024), `UTC`, or a fixed offset such as `+05:00`.
pub fn time_zone(name: &str) -> Result<TimeZone, Error> {
    let bad = || Error::new(ErrorCode::ValidationFailed).at("time_zone");
    if name.starts_with('+') || name.starts_with('-') {
        let (sign, rest) = name.split_at(1);
        let (h, m) = rest.split_once(':').ok_or_else(bad)?;
        let (h, m): (i32, i32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if h > 14 || !(0..60).contains(&m) || rest.len() != 5 {
            return Err(bad());
        }
        let secs = (h * 3600 + m * 60) * if sign == "-" { -1 } else { 1 };
        let off = jiff::tz::Offset::from_seconds(secs).map_err(|_| bad())?;
        return Ok(TimeZone::fixed(off));
    }
    if name == "UTC" {
        return Ok(TimeZone::UTC);
    }
    jiff::tz::TimeZoneDatabase::bundled()
        .get(name)
        .or_else(|_| jiff::tz::db().get(name))
        .map_err(|_| bad())
}

/// How a deployment counts deadlines.
#[derive(Debug, Clone)]
pub struct DeadlineClock {
    pub tz: TimeZone,
    /// When set, something received at or after this local time, or on a day that is
    /// not a working day, counts as received on the next working day.
    pub working_day_ends: Option<Time>,
}

/// When something is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// The last day (local), through its end.
    pub date: Date,
    /// The instant the deadline passes: the start of the day after `date`, local.
    pub at: Timestamp,
}

impl DeadlineClock {
    /// The deadline for something received at `received` that must be done "within
    /// `n` working days": the `n`-th working day after the day of receipt, through the
    /// end of that day (the period starts the day after the event, Civil Code Art. 187).
    pub fn due(&self, cal: &Calendar, received: Timestamp, n: u32) -> Result<Due, Error> {
        let local = received.to_zoned(self.tz.clone());
        let mut day = local.date();
        if let Some(end) = self.working_day_ends {
            if local.time() >= end || !cal.is_working_day(day) {
                day = cal.working_days_after(day, 1)?;
            }
        }
        let date = cal.working_days_after(day, n)?;
        let at = date
            .tomorrow()
            .map_err(|_| out_of_range())?
            .to_zoned(self.tz.clone())
            .map_err(|_| out_of_range())?
            .timestamp();
        Ok(Due { date, at })
    }
}

#[cfg(test)]
#[path = "calendar_tests.rs"]
mod tests;
