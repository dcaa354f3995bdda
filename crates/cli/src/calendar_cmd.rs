//! `qorgau calendar import|show`: the business-day calendar's yearly data.

use std::path::PathBuf;

use clap::Subcommand;
use jiff::Timestamp;
use qorgau_core::calendar::{CalendarData, DayOff};
use qorgau_store::Store;

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Import calendar data (a JSON file in the form of `data/calendar-kz.json`): each
    /// year in it replaces the one held. Running services pick it up at their next sweep.
    Import { file: PathBuf },
    /// Print a year's days off (holidays, moved and transferred days) and working days.
    Show {
        year: i16,
        /// The language of holiday names: kk, ru or en.
        #[arg(long, default_value = "en")]
        lang: String,
    },
}

pub async fn run(store: &Store, cmd: CalendarCommand, now: Timestamp) -> Result<String, String> {
    match cmd {
        CalendarCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("{}: {}", file.display(), e.kind()))?;
            let data = CalendarData::parse(&text).map_err(|e| {
                format!(
                    "{}: not valid calendar data ({})",
                    file.display(),
                    e.field.unwrap_or_default()
                )
            })?;
            let version = data.version.clone();
            let years: Vec<String> = data.years.iter().map(|y| y.year.to_string()).collect();
            let n = store
                .import_calendar(data, now)
                .await
                .map_err(|e| e.to_string())?;
            Ok(format!(
                "imported calendar data {version}: {n} year(s) ({})",
                years.join(", ")
            ))
        }
        CalendarCommand::Show { year, lang } => {
            if !["kk", "ru", "en"].contains(&lang.as_str()) {
                return Err("--lang takes kk, ru or en".to_owned());
            }
            let l10n = qorgau_i18n::Localizer::new().map_err(|e| e.0)?;
            let (cal, _) = crate::app::calendar_in_force(store).await?;
            let y = cal.year(year).map_err(|_| {
                format!(
                    "the calendar covers {} to {}",
                    qorgau_core::calendar::FIRST_YEAR,
                    qorgau_core::calendar::LAST_YEAR
                )
            })?;
            let name = |n: &str| l10n.text(&lang, n, &[]);
            let mut out = format!(
                "{year}: {} working days (calendar data {}{})\n",
                y.working_days,
                y.version,
                if y.known {
                    ""
                } else {
                    "; no data for this year: Kurban Ait and transfers unknown, fixed rules only"
                }
            );
            for (d, off) in &y.days_off {
                let what = match off {
                    DayOff::Holiday { name: n } => format!("holiday      {}", name(n)),
                    DayOff::Moved { holiday } => match cal.day_off(*holiday) {
                        Some(DayOff::Holiday { name: n }) => {
                            format!("moved        for {holiday} ({})", name(n))
                        }
                        _ => format!("moved        for {holiday}"),
                    },
                    DayOff::Transferred { from } => format!("transferred  from {from}"),
                    DayOff::Weekend => continue,
                };
                out.push_str(&format!("{d} {:?}  {what}\n", d.weekday()));
            }
            for d in &y.working_weekend_days {
                out.push_str(&format!("{d} {:?}  working day (transfer)\n", d.weekday()));
            }
            Ok(out.trim_end().to_owned())
        }
    }
}
