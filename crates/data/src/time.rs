//! Dates and times as JSON files write them: ISO 8601 text (`2025-11-04T07:12:28.566Z`,
//! `2025-11-04 16:12:28`, `2025-11-04`) and epoch timestamps in milliseconds (`1762240348566`)
//! or seconds, turned into the `YYYY-MM-DD HH:MM:SS[.ffffff]` every engine reads.

/// A point in time, as the text every engine reads, and whether it is in UTC (the source stated a
/// zone, or was an epoch timestamp).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instant {
    pub text: String,
    pub utc: bool,
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// `digits` ASCII digits at the start of `s`, as a number, and the rest.
fn number(s: &str, digits: usize) -> Option<(i64, &str)> {
    let head = s.get(..digits)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &s[digits..]))
}

/// `YYYY-MM-DD` at the start of `s`, checked, and the rest.
fn date_prefix(s: &str) -> Option<((i64, i64, i64), &str)> {
    let (y, rest) = number(s, 4)?;
    let (m, rest) = number(rest.strip_prefix('-')?, 2)?;
    let (d, rest) = number(rest.strip_prefix('-')?, 2)?;
    ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some(((y, m, d), rest))
}

fn format(secs: i64, micros: u32) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    let mut out = format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60);
    if micros > 0 {
        let frac = format!("{micros:06}");
        out.push('.');
        out.push_str(frac.trim_end_matches('0'));
    }
    out
}

/// `YYYY-MM-DD_HH-MM-SS` of an epoch time in seconds (UTC), for file names that sort by time.
pub fn file_stamp(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}_{:02}-{:02}-{:02}", t / 3600, t / 60 % 60, t % 60)
}

/// An ISO 8601 date or date-time: `2025-11-04`, `2025-11-04T07:12`, `2025-11-04 07:12:28.5`,
/// with an optional zone (`Z`, `+09:00`, `+0900`, `+09`), which is converted to UTC.
pub fn parse_iso(s: &str) -> Option<Instant> {
    let s = s.trim();
    let ((y, mo, d), rest) = date_prefix(s)?;
    let days = days_from_civil(y, mo, d);
    if rest.is_empty() {
        return Some(Instant { text: format(days * 86_400, 0), utc: false });
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (h, rest) = number(rest, 2)?;
    let (mi, mut rest) = number(rest.strip_prefix(':')?, 2)?;
    let mut sec = 0;
    let mut micros = 0u32;
    if let Some(r) = rest.strip_prefix(':') {
        let (s2, r) = number(r, 2)?;
        sec = s2;
        rest = r;
        if let Some(r) = rest.strip_prefix(['.', ',']) {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return None;
            }
            let frac = &r[..n.min(6)];
            micros = format!("{frac:0<6}").parse().ok()?;
            rest = &r[n..];
        }
    }
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let local = days * 86_400 + h * 3600 + mi * 60 + sec;
    let rest = rest.trim_start();
    if rest.is_empty() {
        return Some(Instant { text: format(local, micros), utc: false });
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let z = &rest[1..];
            let (oh, z) = number(z, 2)?;
            let z = z.strip_prefix(':').unwrap_or(z);
            let (om, z) = if z.is_empty() { (0, z) } else { number(z, 2)? };
            if !z.is_empty() || oh > 14 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
    };
    Some(Instant { text: format(local - offset, micros), utc: true })
}

/// An epoch timestamp: milliseconds when its magnitude says so (from 1973 on, as milliseconds),
/// seconds otherwise.
pub fn from_epoch(n: i64) -> Option<Instant> {
    const MS_FROM: i64 = 100_000_000_000;
    let (secs, micros) =
        if n.abs() >= MS_FROM { (n.div_euclid(1000), (n.rem_euclid(1000) * 1000) as u32) } else { (n, 0) };
    // Beyond year 9999 no engine stores it.
    (secs.abs() < 253_402_300_800).then(|| Instant { text: format(secs, micros), utc: true })
}

/// The `YYYY-MM-DD` of an ISO date or date-time (its own date, zone aside), or of an epoch timestamp.
pub fn date_of_iso(s: &str) -> Option<String> {
    let ((y, m, d), _) = date_prefix(s.trim())?;
    parse_iso(s)?;
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_become_utc() {
        assert_eq!(
            parse_iso("2025-11-04T07:12:28.566Z"),
            Some(Instant { text: "2025-11-04 07:12:28.566".into(), utc: true })
        );
        assert_eq!(parse_iso("2025-01-01T08:30:00+09:00").unwrap().text, "2024-12-31 23:30:00");
        assert_eq!(parse_iso("2025-03-01 00:00:00-0130").unwrap().text, "2025-03-01 01:30:00");
        assert_eq!(parse_iso("2025-11-04 16:12:28"), Some(Instant { text: "2025-11-04 16:12:28".into(), utc: false }));
        assert_eq!(parse_iso("2025-11-04").unwrap().text, "2025-11-04 00:00:00");
    }

    #[test]
    fn impossible_dates_are_refused() {
        for bad in ["2025-02-29", "2024-13-01", "2024-01-01T24:00", "yesterday", "2024-01-01T10:00+25:00", "2024-1-1"] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
        assert!(parse_iso("2024-02-29T12:00:00").is_some());
    }

    #[test]
    fn epoch_milliseconds_and_seconds() {
        assert_eq!(from_epoch(1_762_240_348_566).unwrap().text, "2025-11-04 07:12:28.566");
        assert_eq!(from_epoch(1_762_240_348).unwrap().text, "2025-11-04 07:12:28");
        assert_eq!(from_epoch(0).unwrap().text, "1970-01-01 00:00:00");
        assert_eq!(from_epoch(-1000 * 86_400 * 365 * 10_000), None);
    }

    #[test]
    fn file_stamps_sort_by_time() {
        assert_eq!(file_stamp(1_762_240_348), "2025-11-04_07-12-28");
    }

    #[test]
    fn dates_of_datetimes() {
        assert_eq!(date_of_iso("2025-11-04T23:59:00+09:00").as_deref(), Some("2025-11-04"));
        assert_eq!(date_of_iso("2025-11-31"), None);
    }
}
