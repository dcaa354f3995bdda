use jiff::civil::{date, time};

use super::*;

fn cal() -> Calendar {
    Calendar::shipped().unwrap()
}

fn almaty() -> DeadlineClock {
    DeadlineClock {
        tz: time_zone("Asia/Almaty").unwrap(),
        working_day_ends: None,
    }
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn weekends_and_fixed_holidays() {
    let c = cal();
    assert!(c.is_working_day(date(2026, 3, 2))); // Monday
    assert_eq!(c.day_off(date(2026, 3, 7)), Some(DayOff::Weekend));
    assert_eq!(
        c.day_off(date(2026, 12, 16)),
        Some(DayOff::Holiday {
            name: "holiday-independence-day"
        })
    );
    // 17 December is no longer a holiday.
    assert!(c.is_working_day(date(2026, 12, 17)));
}

#[test]
fn nauryz_2026_on_a_weekend_moves_to_the_next_working_days() {
    let c = cal();
    // 21 (Sat) and 22 (Sun) March: their days off go to 24 and 25 March, after 23
    // March, itself a holiday.
    for d in 21..=25 {
        assert!(!c.is_working_day(date(2026, 3, d)), "{d} March");
    }
    assert_eq!(
        c.day_off(date(2026, 3, 24)),
        Some(DayOff::Moved {
            holiday: date(2026, 3, 21)
        })
    );
    assert_eq!(
        c.day_off(date(2026, 3, 25)),
        Some(DayOff::Moved {
            holiday: date(2026, 3, 22)
        })
    );
    assert!(c.is_working_day(date(2026, 3, 26)));
}

#[test]
fn a_holiday_on_a_saturday_gives_the_monday() {
    let c = cal();
    // 9 May 2026 is a Saturday; 8 March 2026 a Sunday.
    assert!(!c.is_working_day(date(2026, 5, 11)));
    assert!(!c.is_working_day(date(2026, 3, 9)));
    assert!(c.is_working_day(date(2026, 5, 12)));
    // 16 December 2028 is a Saturday: Monday the 18th is off.
    assert!(!c.is_working_day(date(2028, 12, 18)));
    // 1 January 2027 is a Friday, 2 January a Saturday: Monday 4 January is off.
    assert!(!c.is_working_day(date(2027, 1, 4)));
    assert!(c.is_working_day(date(2027, 1, 5)));
}

#[test]
fn religious_holidays_never_move() {
    let c = cal();
    // Kurban Ait 2024 fell on Sunday 16 June: Monday the 17th was a working day.
    assert!(!c.is_working_day(date(2024, 6, 16)));
    assert!(c.is_working_day(date(2024, 6, 17)));
    // 7 January 2029 is a Sunday: Monday the 8th is a working day.
    assert!(c.is_working_day(date(2029, 1, 8)));
    // Kurban Ait 2026 (a Wednesday) comes from the data file.
    assert_eq!(
        c.day_off(date(2026, 5, 27)),
        Some(DayOff::Holiday {
            name: "holiday-kurban-ait"
        })
    );
    assert!(c.year_known(2026));
    assert!(!c.year_known(2031));
}

#[test]
fn government_transfers_from_the_data_file() {
    let c = cal();
    // 2025: the day off of Sunday 5 January moved to Friday 3 January.
    assert!(!c.is_working_day(date(2025, 1, 3)));
    assert!(c.is_working_day(date(2025, 1, 5)));
    // 2024: the day off of Saturday 4 May moved to Wednesday 8 May.
    assert!(c.is_working_day(date(2024, 5, 4)));
    assert!(!c.is_working_day(date(2024, 5, 8)));
    let due = almaty().due(&c, ts("2024-12-31T05:00:00Z"), 1).unwrap();
    // 1, 2 January holidays, 3 transferred, 4 Saturday, 5 a working Sunday.
    assert_eq!(due.date, date(2025, 1, 5));
}

#[test]
fn three_business_days_across_the_year_boundary() {
    let c = cal();
    // Received Wednesday 31 December 2025 at noon in Almaty.
    let due = almaty().due(&c, ts("2025-12-31T07:00:00Z"), 3).unwrap();
    // 1–2 January holidays, 3–4 weekend, 5 (1), 6 (2), 7 Christmas, 8 (3).
    assert_eq!(due.date, date(2026, 1, 8));
    // Through the end of 8 January, Almaty time (UTC+5).
    assert_eq!(due.at, ts("2026-01-08T19:00:00Z"));
}

#[test]
fn three_business_days_over_nauryz_and_a_weekend() {
    let c = cal();
    // Thursday 19 March 2026: 20 (1), 21–25 off, 26 (2), 27 (3).
    let due = almaty().due(&c, ts("2026-03-19T04:00:00Z"), 3).unwrap();
    assert_eq!(due.date, date(2026, 3, 27));
    // One business day from Friday 20 March: Thursday 26 March.
    let due = almaty().due(&c, ts("2026-03-20T04:00:00Z"), 1).unwrap();
    assert_eq!(due.date, date(2026, 3, 26));
}

#[test]
fn the_local_day_decides_not_the_utc_day() {
    let c = cal();
    // 18:59:59Z is 23:59:59 Thursday in Almaty; 19:00Z is already Friday.
    let thu = almaty().due(&c, ts("2026-03-05T18:59:59Z"), 1).unwrap();
    let fri = almaty().due(&c, ts("2026-03-05T19:00:00Z"), 1).unwrap();
    assert_eq!(thu.date, date(2026, 3, 6));
    // Friday + 1: 7–8 weekend, 9 March off for the 8th: Tuesday 10 March.
    assert_eq!(fri.date, date(2026, 3, 10));
    // Before 1 March 2024 Almaty was UTC+6: 18:30Z on 1 February was already the 2nd.
    let z = ts("2024-02-01T18:30:00Z").to_zoned(almaty().tz);
    assert_eq!(z.date(), date(2024, 2, 2));
    let z = ts("2024-03-01T18:30:00Z").to_zoned(almaty().tz);
    assert_eq!(z.date(), date(2024, 3, 1));
}

#[test]
fn after_hours_receipt_counts_from_the_next_working_day_only_when_configured() {
    let c = cal();
    let strict = DeadlineClock {
        tz: time_zone("Asia/Almaty").unwrap(),
        working_day_ends: Some(time(18, 0, 0, 0)),
    };
    // Friday 6 March 2026, 18:30 local.
    let at = ts("2026-03-06T13:30:00Z");
    assert_eq!(almaty().due(&c, at, 1).unwrap().date, date(2026, 3, 10));
    // Deemed received Tuesday 10 March: due Wednesday 11 March.
    assert_eq!(strict.due(&c, at, 1).unwrap().date, date(2026, 3, 11));
    // 17:59 local still counts as Friday.
    let at = ts("2026-03-06T12:59:00Z");
    assert_eq!(strict.due(&c, at, 1).unwrap().date, date(2026, 3, 10));
    // Received on a Saturday: deemed received Monday.
    let at = ts("2026-03-14T06:00:00Z");
    assert_eq!(almaty().due(&c, at, 1).unwrap().date, date(2026, 3, 16));
    assert_eq!(strict.due(&c, at, 1).unwrap().date, date(2026, 3, 17));
}

#[test]
fn year_view_counts_working_days() {
    let y = cal().year(2026).unwrap();
    assert!(y.known);
    assert!(y.days_off.iter().any(|(d, _)| *d == date(2026, 3, 24)));
    // 261 weekdays in 2026 minus the holidays and moved days that fall on weekdays:
    // 1, 2, 7 Jan; 9 Mar; 23, 24, 25 Mar; 1, 7, 11, 27 May; 6 Jul; 31 Aug; 26 Oct; 16 Dec.
    assert_eq!(y.working_days, 261 - 15);
    assert!(cal().year(2021).is_err());
}

#[test]
fn data_files_are_checked() {
    let ok = r#"{"version":"t","years":[{"year":2027,"kurban_ait":"2027-05-16","transfers":[{"from":"2027-01-09","to":"2027-01-08","source":"decree"}]}]}"#;
    let d = CalendarData::parse(ok).unwrap();
    let merged = CalendarData::parse(SHIPPED).unwrap().merged(&d);
    let c = Calendar::new(&merged);
    assert!(c.year_known(2027) && c.year_known(2026));
    assert!(!c.is_working_day(date(2027, 1, 8)));
    assert!(c.is_working_day(date(2027, 1, 9)));
    for bad in [
        // A transfer from a weekday.
        r#"{"version":"t","years":[{"year":2027,"kurban_ait":"2027-05-16","transfers":[{"from":"2027-01-08","to":"2027-01-11","source":"x"}]}]}"#,
        // Kurban Ait in another year.
        r#"{"version":"t","years":[{"year":2027,"kurban_ait":"2026-05-16"}]}"#,
        // The same year twice.
        r#"{"version":"t","years":[{"year":2027,"kurban_ait":"2027-05-16"},{"year":2027,"kurban_ait":"2027-05-16"}]}"#,
        // Before the rules in force.
        r#"{"version":"t","years":[{"year":2020,"kurban_ait":"2020-07-31"}]}"#,
        // No source for a transfer.
        r#"{"version":"t","years":[{"year":2027,"kurban_ait":"2027-05-16","transfers":[{"from":"2027-01-09","to":"2027-01-08","source":" "}]}]}"#,
        r#"{"version":"t","years":[],"extra":1}"#,
        "not json",
    ] {
        assert!(CalendarData::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn fixed_offsets_and_bad_zones() {
    assert!(time_zone("+05:00").is_ok());
    assert!(time_zone("UTC").is_ok());
    assert!(time_zone("Asia/Nowhere").is_err());
    assert!(time_zone("+99:00").is_err());
}
