//! Calendar dates (`YYYY-MM-DD`) and review cycles (`90 days`, `6 months`, `1 year`).
//!
//! The handbook needs only whole days, so a small civil-date type beats a time-zone library.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

impl Date {
    /// A date, if it exists in the calendar.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        (1..=12).contains(&month).then_some(())?;
        (1..=days_in_month(year, month))
            .contains(&day)
            .then_some(())?;
        Some(Date { year, month, day })
    }

    /// Today in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days((secs / 86_400) as i64)
    }

    /// The date a build judges by when none is given: `SOURCE_DATE_EPOCH` (seconds since
    /// 1970, the reproducible-builds convention) when it is set and valid, else today.
    pub fn build_date() -> Date {
        std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .map_or_else(Date::today, |secs| Date::from_days(secs.div_euclid(86_400)))
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// This date moved forward by a review cycle; the day is clamped to the month's end
    /// (2026-01-31 + 1 month = 2026-02-28), as calendars do.
    pub fn plus(self, period: Period) -> Date {
        match period.unit {
            Unit::Day => Date::from_days(self.days() + i64::from(period.count)),
            Unit::Week => Date::from_days(self.days() + 7 * i64::from(period.count)),
            Unit::Month | Unit::Year => {
                let months =
                    if period.unit == Unit::Year { 12 } else { 1 } * i64::from(period.count);
                let total = i64::from(self.year) * 12 + i64::from(self.month) - 1 + months;
                let year = total.div_euclid(12) as i32;
                let month = total.rem_euclid(12) as u32 + 1;
                let day = self.day.min(days_in_month(year, month));
                Date { year, month, day }
            }
        }
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for Date {
    type Err = String;

    fn from_str(s: &str) -> Result<Date, String> {
        let expected = || format!("invalid date `{s}`: expected YYYY-MM-DD");
        let parts: Vec<&str> = s.split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(expected());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(expected());
        }
        let (year, month, day) = (
            y.parse().map_err(|_| expected())?,
            m.parse().map_err(|_| expected())?,
            d.parse().map_err(|_| expected())?,
        );
        Date::new(year, month, day)
            .ok_or_else(|| format!("invalid date `{s}`: no such day in the calendar"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The unit of a [`Period`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Calendar months.
    Month,
    /// Calendar years.
    Year,
}

/// A length of time such as a review cycle: `90 days`, `8 weeks`, `6 months`, `1 year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// How many units.
    pub count: u32,
    /// Which unit.
    pub unit: Unit,
}

impl FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Period, String> {
        let expected = || {
            format!(
                "invalid duration `{s}`: expected a number and a unit, such as `90 days`, `8 weeks`, `6 months` or `1 year`"
            )
        };
        let (count, unit) = s.trim().split_once(' ').ok_or_else(expected)?;
        let count: u32 = count.parse().map_err(|_| expected())?;
        let unit = match unit.trim().trim_end_matches('s') {
            "day" => Unit::Day,
            "week" => Unit::Week,
            "month" => Unit::Month,
            "year" => Unit::Year,
            _ => return Err(expected()),
        };
        if count == 0 {
            return Err(format!("invalid duration `{s}`: must be longer than zero"));
        }
        Ok(Period { count, unit })
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        };
        let plural = if self.count == 1 { "" } else { "s" };
        write!(f, "{} {unit}{plural}", self.count)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Period, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_days_not_in_the_calendar() {
        assert!(
            "2026-02-30"
                .parse::<Date>()
                .unwrap_err()
                .contains("no such day")
        );
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2026-3-1".parse::<Date>().is_err());
    }

    #[test]
    fn day_numbers_round_trip() {
        for days in [-800_000, -1, 0, 1, 20_000, 3_000_000] {
            assert_eq!(Date::from_days(days).days(), days);
        }
        assert_eq!(Date::new(2026, 11, 24).unwrap().days(), 20_781);
    }

    #[test]
    fn adds_review_cycles() {
        let d: Date = "2026-01-31".parse().unwrap();
        assert_eq!(d.plus("1 month".parse().unwrap()).to_string(), "2026-02-28");
        assert_eq!(d.plus("1 year".parse().unwrap()).to_string(), "2027-01-31");
        assert_eq!(d.plus("90 days".parse().unwrap()).to_string(), "2026-05-01");
        assert_eq!(d.plus("2 weeks".parse().unwrap()).to_string(), "2026-02-14");
        assert!("12 fortnights".parse::<Period>().is_err());
    }
}
