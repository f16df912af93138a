//! Reporting deadlines and completeness, DHIS2-style: for each deadline of a campaign, which
//! member units reported on time, late, or not at all, and the reporting rates; the officer's
//! "days left" to the next deadline; and who was reminded when.
//!
//! A unit reported for a deadline when one of its live results in the campaign was first
//! written (the record's `created_at`) after the previous deadline and by this one's due date;
//! late when its first result came after the due date but before the next deadline's (any
//! time after, for the last deadline).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{RecordId, UnitId};
use crate::model::{Campaign, Deadline, Reminder};
use crate::sync::Document;

/// Units report by the date on their wall in Vietnam (UTC+7), not by UTC: a result written at
/// 06:00 on the 16th in Thanh Hóa is late for a deadline of the 15th.
pub const REPORTING_UTC_OFFSET_SECS: i32 = 7 * 3600;

/// The calendar day in Vietnam at the instant `t`.
pub fn local_day(t: DateTime<Utc>) -> NaiveDate {
    match FixedOffset::east_opt(REPORTING_UTC_OFFSET_SECS) {
        Some(offset) => t.with_timezone(&offset).date_naive(),
        None => t.date_naive(),
    }
}

/// How a unit stands for one deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Reported within the deadline's window.
    OnTime,
    /// Nothing by the due date, but a report after it.
    Late,
    /// Past the due date and nothing reported.
    Missing,
    /// Not due yet and nothing reported yet.
    NotDue,
}

/// One member unit's status for one deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitReport {
    pub unit: UnitId,
    pub name: String,
    pub status: ReportStatus,
    /// The day its first result counted for this deadline was written (Vietnam's date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_on: Option<NaiveDate>,
}

/// Counts for one deadline: `expected` member units, of which `on_time` and `late` reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Completeness {
    pub expected: u32,
    pub on_time: u32,
    pub late: u32,
    pub missing: u32,
    pub not_due: u32,
}

impl Completeness {
    pub fn reported(&self) -> u32 {
        self.on_time + self.late
    }

    /// Reported / expected, 0 to 1 (`None` with no units).
    pub fn reporting_rate(&self) -> Option<f64> {
        (self.expected > 0).then(|| f64::from(self.reported()) / f64::from(self.expected))
    }

    /// On time / expected, 0 to 1 (`None` with no units).
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.expected > 0).then(|| f64::from(self.on_time) / f64::from(self.expected))
    }

    fn count(&mut self, status: ReportStatus) {
        self.expected += 1;
        match status {
            ReportStatus::OnTime => self.on_time += 1,
            ReportStatus::Late => self.late += 1,
            ReportStatus::Missing => self.missing += 1,
            ReportStatus::NotDue => self.not_due += 1,
        }
    }
}

/// One deadline of a campaign: each member unit's status (in Vietnamese order of names) and
/// the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeadlineReport {
    pub deadline: Deadline,
    pub units: Vec<UnitReport>,
    pub counts: Completeness,
}

/// The campaign's deadlines, by due date.
pub fn sorted_deadlines(campaign: &Campaign) -> Vec<&Deadline> {
    let mut list: Vec<&Deadline> = campaign.deadlines.iter().collect();
    list.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.name.cmp(&b.name)));
    list
}

/// The next deadline on or after `today` and the days left to it (0 on the day itself).
pub fn next_deadline(campaign: &Campaign, today: NaiveDate) -> Option<(&Deadline, i64)> {
    sorted_deadlines(campaign)
        .into_iter()
        .find(|d| d.due >= today)
        .map(|d| (d, (d.due - today).num_days()))
}

/// The deadline the dashboards show: the next one not yet due, else the last one.
pub fn current_deadline(campaign: &Campaign, today: NaiveDate) -> Option<&Deadline> {
    let list = sorted_deadlines(campaign);
    list.iter()
        .find(|d| d.due >= today)
        .or(list.last())
        .copied()
}

/// The status of every member unit for every deadline of `campaign_id` on `today`, deadlines
/// by due date. Empty when the campaign does not exist or has no deadlines.
pub fn completeness(
    doc: &Document,
    campaign_id: &RecordId,
    today: NaiveDate,
) -> Vec<DeadlineReport> {
    let Some(campaign) = doc.get_campaign(campaign_id) else {
        return Vec::new();
    };
    let deadlines = sorted_deadlines(campaign);
    if deadlines.is_empty() {
        return Vec::new();
    }
    // Each member unit's result days, sorted: one pass over the records.
    let mut units: Vec<(&UnitId, &str, Vec<NaiveDate>)> = doc
        .member_units()
        .map(|(id, u)| (id, u.name.as_str(), Vec::new()))
        .collect();
    units.sort_by(|a, b| crate::format::vi_cmp(a.1, b.1).then_with(|| a.0.cmp(b.0)));
    for (id, e) in doc.entries() {
        if &e.campaign != campaign_id {
            continue;
        }
        let Some(rec) = doc.get(id) else { continue };
        if let Some(slot) = units.iter_mut().find(|(u, _, _)| **u == e.unit) {
            slot.2.push(local_day(rec.created_at));
        }
    }
    for slot in &mut units {
        slot.2.sort_unstable();
    }
    deadlines
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let previous = k
                .checked_sub(1)
                .and_then(|p| deadlines.get(p))
                .map(|p| p.due);
            let next = deadlines.get(k + 1).map(|n| n.due);
            let mut counts = Completeness::default();
            let rows = units
                .iter()
                .map(|(unit, name, days)| {
                    let (status, reported_on) = status_for(days, previous, d.due, next, today);
                    counts.count(status);
                    UnitReport {
                        unit: (*unit).clone(),
                        name: (*name).to_owned(),
                        status,
                        reported_on,
                    }
                })
                .collect();
            DeadlineReport {
                deadline: (*d).clone(),
                units: rows,
                counts,
            }
        })
        .collect()
}

/// One unit's status for the deadline due `due`, from its sorted result days.
fn status_for(
    days: &[NaiveDate],
    previous: Option<NaiveDate>,
    due: NaiveDate,
    next: Option<NaiveDate>,
    today: NaiveDate,
) -> (ReportStatus, Option<NaiveDate>) {
    let after_previous = |d: &&NaiveDate| previous.is_none_or(|p| **d > p);
    if let Some(d) = days.iter().filter(after_previous).find(|d| **d <= due) {
        return (ReportStatus::OnTime, Some(*d));
    }
    if let Some(d) = days
        .iter()
        .find(|d| **d > due && next.is_none_or(|n| **d <= n))
    {
        return (ReportStatus::Late, Some(*d));
    }
    if due < today {
        (ReportStatus::Missing, None)
    } else {
        (ReportStatus::NotDue, None)
    }
}

/// One reminder, with who pressed the share button (the author's unit) and when.
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderSent<'d> {
    pub id: &'d RecordId,
    pub reminder: &'d Reminder,
    pub by: Option<&'d UnitId>,
}

/// The campaign's reminders, newest first.
pub fn reminders<'d>(doc: &'d Document, campaign_id: &RecordId) -> Vec<ReminderSent<'d>> {
    let mut out: Vec<ReminderSent<'d>> = doc
        .records
        .iter()
        .filter_map(|(id, r)| {
            let w = r.winner()?;
            match &w.body {
                Some(crate::model::Body::Reminder(rm)) if &rm.campaign == campaign_id => {
                    Some(ReminderSent {
                        id,
                        reminder: rm,
                        by: w.author_unit.as_ref(),
                    })
                }
                _ => None,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.reminder
            .at
            .cmp(&a.reminder.at)
            .then_with(|| a.id.cmp(b.id))
    });
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ids::DeviceId;
    use crate::model::tests::{date, id};
    use crate::model::{Body, Criterion, Entry, EntryDetails, Measure, Unit, UnitKind};
    use chrono::TimeZone;

    fn dev() -> DeviceId {
        DeviceId::new("d").unwrap()
    }

    /// 08:00 in Vietnam on the given day.
    fn vn(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 1, 0, 0).unwrap()
    }

    fn campaign() -> Campaign {
        Campaign {
            title: "Phong trào thi đua năm 2024".into(),
            occasion: String::new(),
            slogan: String::new(),
            start: date(2024, 1, 1),
            end: date(2024, 12, 31),
            criteria: vec![Criterion {
                id: "sang-kien".into(),
                name: "Sáng kiến".into(),
                unit_of_measure: "sáng kiến".into(),
                points: 10,
                measure: Measure::Entries,
            }],
            // Given out of order: they are read by due date.
            deadlines: vec![
                Deadline {
                    name: "Báo cáo năm".into(),
                    due: date(2024, 12, 15),
                },
                Deadline {
                    name: "Báo cáo 6 tháng".into(),
                    due: date(2024, 6, 15),
                },
            ],
        }
    }

    /// Units a, b, c, d; entries of a on 10/06, b on 20/06 (late), d on 16/06 at 06:00 in
    /// Vietnam (23:00 UTC on the 15th: late by the wall's date); c nothing.
    fn doc() -> Document {
        let mut doc = Document::new(id("cl"));
        doc.put(id("c1"), campaign().into(), &dev(), None, vn(2024, 1, 1));
        for (u, name) in [
            ("a", "An Phú"),
            ("b", "Bình Minh"),
            ("c", "Cẩm Thủy"),
            ("d", "Đông Sơn"),
        ] {
            let unit = Unit {
                name: name.into(),
                kind: UnitKind::GrassrootsUnion,
            };
            doc.put(id(u), unit.into(), &dev(), None, vn(2024, 1, 1));
        }
        let late_night = Utc.with_ymd_and_hms(2024, 6, 15, 23, 0, 0).unwrap();
        for (n, (u, when)) in [
            ("a", vn(2024, 6, 10)),
            ("b", vn(2024, 6, 20)),
            ("d", late_night),
        ]
        .into_iter()
        .enumerate()
        {
            let e = Entry {
                unit: id(u),
                campaign: id("c1"),
                criterion: None,
                date: date(2024, 6, 1),
                title: format!("Kết quả {n}"),
                description: String::new(),
                details: EntryDetails::Model,
                corrects: None,
                files: Vec::new(),
            };
            doc.put(
                id(&format!("e{n}")),
                Body::Entry(e),
                &dev(),
                Some(id(u)),
                when,
            );
        }
        doc
    }

    fn statuses(r: &DeadlineReport) -> Vec<(&str, ReportStatus)> {
        r.units
            .iter()
            .map(|u| (u.unit.as_str(), u.status))
            .collect()
    }

    #[test]
    fn on_time_late_missing_and_not_due() {
        use ReportStatus::*;
        let doc = doc();
        let before = completeness(&doc, &id("c1"), date(2024, 6, 12));
        assert_eq!(before.len(), 2);
        assert_eq!(before[0].deadline.name, "Báo cáo 6 tháng");
        assert_eq!(
            statuses(&before[0]),
            vec![("a", OnTime), ("b", Late), ("c", NotDue), ("d", Late)]
        );
        let after = completeness(&doc, &id("c1"), date(2024, 7, 1));
        assert_eq!(
            statuses(&after[0]),
            vec![("a", OnTime), ("b", Late), ("c", Missing), ("d", Late)]
        );
        let c = after[0].counts;
        assert_eq!(
            (c.expected, c.reported(), c.on_time, c.missing),
            (4, 3, 1, 1)
        );
        assert_eq!(c.reporting_rate(), Some(0.75));
        assert_eq!(c.on_time_rate(), Some(0.25));
        // The late June reports fall in the annual window: they count for it on time.
        assert_eq!(
            statuses(&after[1]),
            vec![("a", NotDue), ("b", OnTime), ("c", NotDue), ("d", OnTime)]
        );
        assert_eq!(after[0].units[1].reported_on, Some(date(2024, 6, 20)));
        assert_eq!(after[0].units[3].reported_on, Some(date(2024, 6, 16)));
        // A deleted result counts for nothing; no campaign, no report.
        let mut gone = doc.clone();
        gone.delete(&id("e0"), &dev(), None, vn(2024, 6, 11))
            .unwrap();
        let r = completeness(&gone, &id("c1"), date(2024, 7, 1));
        assert_eq!(r[0].units[0].status, Missing);
        assert!(completeness(&doc, &id("nope"), date(2024, 7, 1)).is_empty());
        assert_eq!(Completeness::default().reporting_rate(), None);
    }

    #[test]
    fn days_left_to_the_next_deadline() {
        let c = campaign();
        let (d, left) = next_deadline(&c, date(2024, 6, 12)).unwrap();
        assert_eq!((d.name.as_str(), left), ("Báo cáo 6 tháng", 3));
        assert_eq!(next_deadline(&c, date(2024, 6, 15)).unwrap().1, 0);
        assert_eq!(
            next_deadline(&c, date(2024, 6, 16)).unwrap().0.name,
            "Báo cáo năm"
        );
        assert!(next_deadline(&c, date(2024, 12, 16)).is_none());
        assert_eq!(
            current_deadline(&c, date(2024, 12, 16)).unwrap().name,
            "Báo cáo năm"
        );
        assert_eq!(
            local_day(Utc.with_ymd_and_hms(2024, 6, 15, 17, 0, 0).unwrap()),
            date(2024, 6, 16)
        );
    }

    #[test]
    fn reminders_newest_first_with_who() {
        let mut doc = doc();
        for (n, day) in [10, 14].into_iter().enumerate() {
            let r = Reminder {
                campaign: id("c1"),
                deadline: Some(date(2024, 6, 15)),
                units: vec![id("c")],
                at: vn(2024, 6, day),
            };
            doc.put(
                id(&format!("r{n}")),
                r.into(),
                &dev(),
                Some(id("a")),
                vn(2024, 6, day),
            );
        }
        let list = reminders(&doc, &id("c1"));
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].id, &id("r1"));
        assert_eq!(list[0].by, Some(&id("a")));
        assert!(reminders(&doc, &id("nope")).is_empty());
    }
}
