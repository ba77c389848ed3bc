//! Calendar dates (proleptic Gregorian, as ISO 8601 writes them), and the
//! windows in which rules are in force. A date is a count of days, so that
//! rules compare dates as they compare ints.

use std::fmt;

/// A day: the number of days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i64);

/// Why a text is not a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not `YYYY-MM-DD`.
    Form,
    /// `YYYY-MM-DD`, but no such day (`2023-02-29`, `2026-13-01`).
    NoSuchDay { days_in_month: Option<u32> },
}

impl DateError {
    /// Help for someone who wrote `text`.
    pub fn help(&self, text: &str) -> String {
        match self {
            DateError::Form => {
                "write a date as `YYYY-MM-DD`, with a four-digit year, e.g. `2019-08-06`".into()
            }
            DateError::NoSuchDay {
                days_in_month: Some(n),
            } => format!("the month of `{text}` has {n} days"),
            DateError::NoSuchDay {
                days_in_month: None,
            } => "months run from 01 to 12".into(),
        }
    }
}

impl Date {
    /// Parses `YYYY-MM-DD` exactly (years 0000 to 9999).
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let b = text.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) {
            return Err(DateError::Form);
        }
        if !digits(8..10) {
            return Err(DateError::Form);
        }
        let number = |r: std::ops::Range<usize>| text[r].parse::<u32>().unwrap_or(0);
        let (year, month, day) = (number(0..4) as i64, number(5..7), number(8..10));
        if !(1..=12).contains(&month) {
            return Err(DateError::NoSuchDay {
                days_in_month: None,
            });
        }
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return Err(DateError::NoSuchDay {
                days_in_month: Some(last),
            });
        }
        Ok(Date(days_from_civil(year, month, day)))
    }

    /// The date of a number of seconds since the Unix epoch (UTC).
    pub fn from_unix_seconds(seconds: i64) -> Date {
        Date(seconds.div_euclid(86_400))
    }

    /// Year, month (1-12) and day (1-31).
    pub fn civil(self) -> (i64, u32, u32) {
        civil_from_days(self.0)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.civil();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's algorithms (http://howardhinnant.github.io/date_algorithms.html):
// eras of 400 years, each of which repeats the calendar exactly.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// When something is in force: from a day, until a day (both included), or
/// both; unbounded on a side not given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Window {
    pub from: Option<Date>,
    pub until: Option<Date>,
}

impl Window {
    /// In force at all times.
    pub const ALWAYS: Window = Window {
        from: None,
        until: None,
    };

    /// Whether it is in force on `date`; `None` (no date known) is inside
    /// an unbounded window only.
    pub fn contains(&self, date: Option<Date>) -> bool {
        match date {
            Some(d) => self.from.is_none_or(|f| f <= d) && self.until.is_none_or(|u| d <= u),
            None => self.is_always(),
        }
    }

    pub fn is_always(&self) -> bool {
        self.from.is_none() && self.until.is_none()
    }

    /// No day at all.
    pub fn is_empty(&self) -> bool {
        matches!((self.from, self.until), (Some(f), Some(u)) if f > u)
    }

    /// The days in both windows.
    pub fn intersect(&self, other: &Window) -> Window {
        Window {
            // `None < Some`: the later start of the two, if either has one.
            from: self.from.max(other.from),
            until: match (self.until, other.until) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
        }
    }

    /// Whether some day is in both (neither being empty).
    pub fn overlaps(&self, other: &Window) -> bool {
        !self.is_empty() && !other.is_empty() && !self.intersect(other).is_empty()
    }
}

impl fmt::Display for Window {
    /// As rule files write it: `from 2026-01-01 until 2026-12-31`; `always`
    /// for an unbounded window.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.until) {
            (None, None) => write!(f, "always"),
            (Some(a), None) => write!(f, "from {a}"),
            (None, Some(b)) => write!(f, "until {b}"),
            (Some(a), Some(b)) => write!(f, "from {a} until {b}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_days_over_eras() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(Date::parse("1970-01-01"), Ok(Date(0)));
        assert_eq!(Date::parse("2000-03-01").unwrap().to_string(), "2000-03-01");
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
    }

    #[test]
    fn rejects_days_that_do_not_exist() {
        assert!(matches!(
            Date::parse("2023-02-29"),
            Err(DateError::NoSuchDay {
                days_in_month: Some(28)
            })
        ));
        assert!(Date::parse("1900-02-29").is_err());
        assert!(Date::parse("2026-13-01").is_err());
        assert!(Date::parse("2026-04-31").is_err());
        assert_eq!(Date::parse("2026-4-1"), Err(DateError::Form));
        assert_eq!(Date::parse("2026-04-01T00:00"), Err(DateError::Form));
        assert_eq!(Date::parse("２０２６-04-01"), Err(DateError::Form));
    }

    #[test]
    fn until_is_inclusive() {
        let d = |s| Date::parse(s).unwrap();
        let w = Window {
            from: Some(d("2026-01-01")),
            until: Some(d("2026-06-30")),
        };
        assert!(!w.contains(Some(d("2025-12-31"))));
        assert!(w.contains(Some(d("2026-01-01"))));
        assert!(w.contains(Some(d("2026-06-30"))));
        assert!(!w.contains(Some(d("2026-07-01"))));
        let next = Window {
            from: Some(d("2026-07-01")),
            until: None,
        };
        assert!(!w.overlaps(&next));
        let touching = Window {
            from: Some(d("2026-06-30")),
            until: None,
        };
        assert!(w.overlaps(&touching));
    }
}
