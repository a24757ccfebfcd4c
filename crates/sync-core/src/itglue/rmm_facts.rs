//! What Datto RMM knows about a device that IT Glue has no attribute for — CPU, memory, disks,
//! last reboot, last seen online, last logged-in user, patch and antivirus status, the link to
//! the device in Datto RMM — and the text block the configuration's notes carry them in.
//!
//! The block is rendered so that it only changes when the device does: an online device reads
//! "online" rather than the minute it was last seen, so an unchanged device gives the same block
//! at every sync and costs no write.

use serde::{Deserialize, Serialize};

use super::notes_block::{BLOCK_BEGIN, BLOCK_END};

/// The RMM facts of one device. Every field is optional: what Datto did not report is left
/// out of the block.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RmmFacts {
    /// Processor names from the audit (`processors[].name`).
    pub processors: Vec<String>,
    /// Total CPU cores (`systemInfo.totalCpuCores`).
    pub cpu_cores: Option<u32>,
    /// Installed memory in bytes (`systemInfo.totalPhysicalMemory`).
    pub memory_bytes: Option<u64>,
    /// Logical disks (`logicalDisks[]`).
    pub disks: Vec<Disk>,
    /// Last reboot, milliseconds since the Unix epoch (`lastReboot`).
    pub last_reboot: Option<i64>,
    /// Last seen online, milliseconds since the Unix epoch (`lastSeen`).
    pub last_seen: Option<i64>,
    /// Whether the device is online now (`online`).
    pub online: Option<bool>,
    /// The last logged-in user (`lastLoggedInUser`).
    pub last_logged_in_user: Option<String>,
    /// Patch status and counts (`patchManagement`).
    pub patches: Option<PatchFacts>,
    /// Antivirus product and status (`antivirus`).
    pub antivirus: Option<AntivirusFacts>,
    /// The device's page in Datto RMM (`portalUrl`).
    pub portal_url: Option<String>,
}

/// One logical disk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Disk {
    /// The volume (`diskIdentifier`, e.g. `C:`).
    pub name: String,
    /// Its size in bytes (`size`).
    pub size_bytes: Option<u64>,
    /// Its free space in bytes (`freespace`).
    pub free_bytes: Option<u64>,
}

/// Datto's `patchManagement`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PatchFacts {
    /// `patchStatus` (`FullyPatched`, `ApprovedPending`, `InstallError`, …; unknown values kept).
    pub status: Option<String>,
    /// `patchesInstalled`.
    pub installed: Option<u64>,
    /// `patchesApprovedPending`.
    pub approved_pending: Option<u64>,
    /// `patchesNotApproved`.
    pub not_approved: Option<u64>,
}

/// Datto's `antivirus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AntivirusFacts {
    /// `antivirusProduct`.
    pub product: Option<String>,
    /// `antivirusStatus` (`RunningAndUpToDate`, `NotRunning`, …; unknown values kept).
    pub status: Option<String>,
}

impl RmmFacts {
    /// Whether Datto reported nothing at all.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The notes block: the begin marker line, one line per known fact, the end marker line.
    /// Vendor text is put on one line and can never contain a marker.
    ///
    /// ```
    /// use sync_core::itglue::{RmmFacts, BLOCK_BEGIN, BLOCK_END};
    ///
    /// let facts = RmmFacts {
    ///     memory_bytes: Some(17_179_869_184),
    ///     last_reboot: Some(1_721_023_200_000),
    ///     online: Some(true),
    ///     ..RmmFacts::default()
    /// };
    /// let block = facts.block();
    /// assert!(block.starts_with(BLOCK_BEGIN));
    /// assert!(block.ends_with(BLOCK_END));
    /// assert!(block.contains("Memory: 16.0 GiB"));
    /// assert!(block.contains("Last reboot: 2024-07-15 06:00 UTC"));
    /// assert!(block.contains("Last seen online: online now"));
    /// ```
    pub fn block(&self) -> String {
        let mut lines = vec![BLOCK_BEGIN.to_owned()];
        if !self.processors.is_empty() || self.cpu_cores.is_some() {
            let names = self.processors.join(", ");
            let cpu = match (names.is_empty(), self.cpu_cores) {
                (false, Some(cores)) => format!("{names} ({cores} cores)"),
                (true, Some(cores)) => format!("{cores} cores"),
                _ => names,
            };
            push(&mut lines, "CPU", cpu);
        }
        if let Some(memory) = self.memory_bytes {
            push(&mut lines, "Memory", gib(memory));
        }
        for disk in &self.disks {
            let value = match (disk.size_bytes, disk.free_bytes) {
                (Some(size), Some(free)) => {
                    format!("{} used of {}", gib(size.saturating_sub(free)), gib(size))
                }
                (Some(size), None) => format!("{} total", gib(size)),
                _ => "size unknown".to_owned(),
            };
            let name = one_line(&disk.name);
            if name.ends_with(':') {
                // A drive letter already ends in a colon: "Disk C: 10.0 GiB used of …".
                lines.push(format!("Disk {name} {}", one_line(&value)));
            } else {
                push(&mut lines, &format!("Disk {name}"), value);
            }
        }
        if let Some(reboot) = self.last_reboot {
            push(&mut lines, "Last reboot", utc_minute(reboot));
        }
        match (self.online, self.last_seen) {
            (Some(true), _) => push(&mut lines, "Last seen online", "online now".to_owned()),
            (_, Some(seen)) => push(&mut lines, "Last seen online", utc_minute(seen)),
            _ => {}
        }
        if let Some(user) = self
            .last_logged_in_user
            .as_deref()
            .filter(|u| !u.trim().is_empty())
        {
            push(&mut lines, "Last logged-in user", user.trim().to_owned());
        }
        if let Some(patches) = &self.patches {
            let status = patches
                .status
                .as_deref()
                .map_or_else(|| "unknown".to_owned(), spaced);
            let counts: Vec<String> = [
                (patches.installed, "installed"),
                (patches.approved_pending, "approved pending"),
                (patches.not_approved, "not approved"),
            ]
            .into_iter()
            .filter_map(|(n, label)| n.map(|n| format!("{n} {label}")))
            .collect();
            let value = if counts.is_empty() {
                status
            } else {
                format!("{status} ({})", counts.join(", "))
            };
            push(&mut lines, "Patches", value);
        }
        if let Some(antivirus) = &self.antivirus {
            let product = antivirus.product.as_deref().unwrap_or("unknown product");
            let value = match antivirus.status.as_deref() {
                Some(status) => format!("{product}, {}", spaced(status)),
                None => product.to_owned(),
            };
            push(&mut lines, "Antivirus", value);
        }
        if let Some(url) = self.portal_url.as_deref().filter(|u| !u.trim().is_empty()) {
            push(&mut lines, "Datto RMM", url.trim().to_owned());
        }
        lines.push(BLOCK_END.to_owned());
        lines.join("\n")
    }
}

fn push(lines: &mut Vec<String>, label: &str, value: String) {
    lines.push(format!("{label}: {}", one_line(&value)));
}

/// Vendor text on one line: control characters (line breaks included) become blanks, and the
/// markers' text cannot appear.
fn one_line(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    flat.trim().replace("=====", "= = =")
}

/// `RunningAndUpToDate` → `running and up to date`; text that is not one camel-case word is
/// kept as it is.
fn spaced(word: &str) -> String {
    if word.contains(char::is_whitespace) || !word.chars().all(char::is_alphanumeric) {
        return word.to_owned();
    }
    let mut out = String::with_capacity(word.len() + 8);
    for (at, c) in word.chars().enumerate() {
        if c.is_uppercase() && at > 0 {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Bytes in GiB with one decimal.
fn gib(bytes: u64) -> String {
    let tenths = (u128::from(bytes) * 10 + (1 << 29)) / (1 << 30);
    format!("{}.{} GiB", tenths / 10, tenths % 10)
}

/// Milliseconds since the Unix epoch as `YYYY-MM-DD HH:MM UTC`.
fn utc_minute(millis: i64) -> String {
    let minutes = millis.div_euclid(60_000);
    let days = minutes.div_euclid(24 * 60);
    let minute_of_day = minutes.rem_euclid(24 * 60);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        minute_of_day / 60,
        minute_of_day % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> RmmFacts {
        RmmFacts {
            processors: vec!["Intel(R) Core(TM) i5-1245U".into()],
            cpu_cores: Some(8),
            memory_bytes: Some(17_179_869_184),
            disks: vec![Disk {
                name: "C:".into(),
                size_bytes: Some(511_000_000_000),
                free_bytes: Some(112_000_000_000),
            }],
            last_reboot: Some(1_721_023_200_000),
            last_seen: Some(1_721_131_200_000),
            online: Some(false),
            last_logged_in_user: Some("ACME\\alice".into()),
            patches: Some(PatchFacts {
                status: Some("FullyPatched".into()),
                installed: Some(120),
                approved_pending: Some(0),
                not_approved: Some(2),
            }),
            antivirus: Some(AntivirusFacts {
                product: Some("Windows Defender".into()),
                status: Some("RunningAndUpToDate".into()),
            }),
            portal_url: Some("https://merlot.centrastage.net/csm/search?qs=uid:d-1".into()),
        }
    }

    #[test]
    fn the_block_lists_every_fact_datto_reported() {
        let block = full().block();
        let lines: Vec<&str> = block.lines().collect();
        assert_eq!(
            lines,
            [
                BLOCK_BEGIN,
                "CPU: Intel(R) Core(TM) i5-1245U (8 cores)",
                "Memory: 16.0 GiB",
                "Disk C: 371.6 GiB used of 475.9 GiB",
                "Last reboot: 2024-07-15 06:00 UTC",
                "Last seen online: 2024-07-16 12:00 UTC",
                "Last logged-in user: ACME\\alice",
                "Patches: fully patched (120 installed, 0 approved pending, 2 not approved)",
                "Antivirus: Windows Defender, running and up to date",
                "Datto RMM: https://merlot.centrastage.net/csm/search?qs=uid:d-1",
                BLOCK_END,
            ]
        );
    }

    #[test]
    fn an_online_device_reads_online_so_its_block_does_not_change_by_the_minute() {
        let mut a = full();
        a.online = Some(true);
        let mut b = a.clone();
        b.last_seen = Some(1_721_131_260_000);
        assert_eq!(a.block(), b.block());
        assert!(a.block().contains("Last seen online: online now"));
    }

    #[test]
    fn vendor_text_stays_on_one_line_and_cannot_forge_a_marker() {
        let facts = RmmFacts {
            last_logged_in_user: Some(format!("bob\n{BLOCK_END}\r\nx")),
            ..RmmFacts::default()
        };
        let block = facts.block();
        assert_eq!(block.lines().count(), 3);
        assert_eq!(block.matches(BLOCK_END).count(), 1);
    }

    #[test]
    fn nothing_reported_gives_only_the_markers() {
        assert_eq!(
            RmmFacts::default().block(),
            format!("{BLOCK_BEGIN}\n{BLOCK_END}")
        );
    }

    #[test]
    fn dates_before_and_after_the_epoch_are_civil_dates() {
        assert_eq!(utc_minute(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_minute(-60_000), "1969-12-31 23:59 UTC");
        assert_eq!(utc_minute(951_782_400_000), "2000-02-29 00:00 UTC");
    }
}
