//! The `TIMESTAMP` of a password claim, in the exact format Cognito checks:
//! `"Tue Mar 3 09:05:07 UTC 2026"` (English abbreviated day and month, day of
//! month not zero-padded, 24-hour time zero-padded, UTC).

use crate::error::{decimal, signed_decimal};
use crate::prelude::*;

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Formats seconds since the Unix epoch (UTC) as Cognito's SRP timestamp.
pub fn cognito_timestamp(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday.
    let weekday = (days + 4).rem_euclid(7) as usize;
    // Two digits for the clock fields, none padded for the day.
    let two = |n: i64| {
        [
            char::from(b'0' + (n / 10) as u8),
            char::from(b'0' + (n % 10) as u8),
        ]
    };
    let mut out = [DAYS[weekday], " ", MONTHS[(month - 1) as usize], " "].concat();
    out.push_str(&decimal(day));
    for (sep, n) in [(' ', secs / 3600), (':', secs / 60 % 60), (':', secs % 60)] {
        out.push(sep);
        out.extend(two(n));
    }
    out.push_str(" UTC ");
    out.push_str(&signed_decimal(year));
    out
}

/// Gregorian date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_leap_day() {
        assert_eq!(cognito_timestamp(0), "Thu Jan 1 00:00:00 UTC 1970");
        // 2024-02-29T23:59:59Z, a Thursday (POSIX `date -u -d @1709251199`).
        assert_eq!(
            cognito_timestamp(1_709_251_199),
            "Thu Feb 29 23:59:59 UTC 2024"
        );
    }
}
