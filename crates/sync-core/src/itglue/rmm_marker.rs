//! The RMM marker: `installed-by` on a configuration this tool created or matched names the
//! Datto RMM device uid, since the API does not expose the link IT Glue's built-in integration
//! keeps.

use super::ids::DeviceUid;

/// What `installed-by` starts with on a configuration this tool created or matched.
pub const RMM_MARKER_PREFIX: &str = "RMM: ";

/// The `installed-by` text that marks a configuration as the device's.
pub fn rmm_marker(device: &DeviceUid) -> String {
    format!("{RMM_MARKER_PREFIX}{device}")
}

/// The device uid in an `installed-by` text written by [`rmm_marker`] (blanks around it and the
/// case of "RMM" aside).
pub fn parse_rmm_marker(installed_by: &str) -> Option<DeviceUid> {
    marked_uid(installed_by).map(DeviceUid::new)
}

/// [`parse_rmm_marker`] without allocating: the uid as a slice of `installed_by`.
pub(crate) fn marked_uid(installed_by: &str) -> Option<&str> {
    let text = installed_by.trim();
    let prefix = text.get(..4)?;
    if !prefix.eq_ignore_ascii_case("rmm:") {
        return None;
    }
    let uid = text.get(4..)?.trim();
    (!uid.is_empty()).then_some(uid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rmm_markers_round_trip() {
        let uid = DeviceUid::new("6f1c-42");
        assert_eq!(parse_rmm_marker(&rmm_marker(&uid)), Some(uid));
        assert_eq!(
            parse_rmm_marker(" rmm:6f1c-42 "),
            Some(DeviceUid::new("6f1c-42"))
        );
        assert_eq!(parse_rmm_marker("Installed by Bob"), None);
        assert_eq!(parse_rmm_marker("RMM: "), None);
        assert_eq!(parse_rmm_marker("é"), None);
    }
}
