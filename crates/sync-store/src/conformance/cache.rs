//! Cases on what runs keep for later ones: site network-interface listings and run reports.

use super::{Fixture, at, tenant_a, tenant_b};
use crate::{DeviceStamp, Flow, ListedInterfaces, RunId, RunReport, SiteInterfaces, Store};
use sync_core::itglue::NetworkInterface;

fn nic(mac: &str) -> NetworkInterface {
    NetworkInterface {
        name: Some("Ethernet — \u{202e}evil".into()),
        ipv4: Some("10.0.0.7".into()),
        ipv6: None,
        mac_address: Some(mac.to_owned()),
    }
}

pub(super) fn listing(site: &str, audited_at: i64) -> SiteInterfaces {
    SiteInterfaces::new(
        site,
        [
            DeviceStamp::new("dev-2", None),
            DeviceStamp::new("dev-1", Some(at(audited_at))),
        ],
        vec![
            ListedInterfaces {
                device_uid: "dev-1".into(),
                interfaces: vec![nic("00:1A:2B:3C:4D:5E"), nic("001A2B3C4D5F")],
            },
            ListedInterfaces {
                device_uid: "dev-2".into(),
                interfaces: Vec::new(),
            },
        ],
    )
}

/// A kept listing reads back as written (devices ordered), still current for the same devices
/// in any order and not for others; keeping the site again replaces it; tenants are apart.
pub async fn site_interfaces_round_trip_and_are_replaced<F: Fixture>(fixture: &mut F) {
    let t = tenant_a();
    let first = listing("site-1", 100);
    fixture
        .store()
        .put_site_interfaces(&t, &first)
        .await
        .unwrap();
    fixture.restart().await;
    let store = fixture.store();
    let kept = store.site_interfaces(&t).await.unwrap();
    assert_eq!(kept, std::slice::from_ref(&first));
    assert_eq!(kept[0].devices[0].device_uid, "dev-1");
    assert!(kept[0].is_current([
        DeviceStamp::new("dev-1", Some(at(100))),
        DeviceStamp::new("dev-2", None),
    ]));
    assert!(!kept[0].is_current([
        DeviceStamp::new("dev-1", Some(at(101))),
        DeviceStamp::new("dev-2", None),
    ]));
    assert!(!kept[0].is_current([DeviceStamp::new("dev-1", Some(at(100)))]));

    let newer = listing("site-1", 200);
    store.put_site_interfaces(&t, &newer).await.unwrap();
    store
        .put_site_interfaces(&t, &listing("site-0", 1))
        .await
        .unwrap();
    let kept = store.site_interfaces(&t).await.unwrap();
    let sites: Vec<&str> = kept.iter().map(|k| k.site_uid.as_str()).collect();
    assert_eq!(sites, ["site-0", "site-1"]);
    assert_eq!(kept[1], newer);
    assert!(store.site_interfaces(&tenant_b()).await.unwrap().is_empty());
}

/// Pruning keeps the listed sites and drops the others, of this tenant only.
pub async fn retain_site_interfaces_drops_only_sites_that_are_gone<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    for site in ["site-c", "site-a", "site-b"] {
        store
            .put_site_interfaces(&t, &listing(site, 1))
            .await
            .unwrap();
    }
    store
        .put_site_interfaces(&tenant_b(), &listing("site-a", 1))
        .await
        .unwrap();
    let dropped = store
        .retain_site_interfaces(&t, &["site-b".into(), "site-z".into()])
        .await
        .unwrap();
    assert_eq!(dropped, 2);
    let left: Vec<String> = store
        .site_interfaces(&t)
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.site_uid)
        .collect();
    assert_eq!(left, ["site-b"]);
    assert_eq!(store.site_interfaces(&tenant_b()).await.unwrap().len(), 1);
}

/// A report body written in pieces, of a length given ahead.
struct Pieces(Vec<String>);

impl crate::ReportBody for Pieces {
    fn len(&self) -> usize {
        self.0.iter().map(|piece| piece.len()).sum()
    }
    fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        for piece in &self.0 {
            out.write_all(piece.as_bytes())?;
        }
        Ok(())
    }
}

/// A report whose body is written as it is produced reads back whole, replaces the one kept
/// before, and one whose body is shorter or longer than it said is refused, leaving the kept
/// one as it was.
pub async fn run_reports_written_in_pieces_read_back_whole<F: Fixture>(fixture: &mut F) {
    use std::sync::Arc;
    let t = tenant_a();
    let store = fixture.store();
    let body = Pieces(vec![
        r#"{"groups":[""#.to_owned(),
        "x".repeat(200_000),
        r#"","é 🦀"]}"#.to_owned(),
    ]);
    let whole = body.0.concat();
    store
        .put_run_report_streamed(&t, Flow::ItGlue, RunId(1), at(1), Arc::new(body))
        .await
        .unwrap();
    fixture.restart().await;
    let store = fixture.store();
    let kept = store.run_report(&t, Flow::ItGlue).await.unwrap().unwrap();
    assert_eq!((kept.run, kept.saved_at), (RunId(1), at(1)));
    assert_eq!(kept.body, whole);
    store
        .put_run_report_streamed(
            &t,
            Flow::ItGlue,
            RunId(2),
            at(2),
            Arc::new(Pieces(vec!["{}".to_owned()])),
        )
        .await
        .unwrap();
    let kept = store.run_report(&t, Flow::ItGlue).await.unwrap().unwrap();
    assert_eq!((kept.run, kept.body.as_str()), (RunId(2), "{}"));

    /// A body that writes one byte more or less than it says.
    struct Lying(usize, &'static str);
    impl crate::ReportBody for Lying {
        fn len(&self) -> usize {
            self.0
        }
        fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
            out.write_all(self.1.as_bytes())
        }
    }
    for lying in [Lying(3, "{}"), Lying(1, "{}")] {
        assert!(
            store
                .put_run_report_streamed(&t, Flow::ItGlue, RunId(3), at(3), Arc::new(lying))
                .await
                .is_err()
        );
    }
    let kept = store.run_report(&t, Flow::ItGlue).await.unwrap().unwrap();
    assert_eq!((kept.run, kept.body.as_str()), (RunId(2), "{}"));
}

/// A flow's last report reads back as written, is replaced by the next one, is kept per flow
/// and per tenant, and survives a restart.
pub async fn run_reports_are_kept_per_flow_and_replaced<F: Fixture>(fixture: &mut F) {
    let t = tenant_a();
    let report = |run: i64, body: &str| RunReport {
        flow: Flow::ItGlue,
        run: RunId(run),
        saved_at: at(run),
        body: body.to_owned(),
    };
    let store = fixture.store();
    assert_eq!(store.run_report(&t, Flow::ItGlue).await.unwrap(), None);
    store
        .put_run_report(&t, report(1, r#"{"groups":["é \u202e 🦀"]}"#))
        .await
        .unwrap();
    store
        .put_run_report(&t, report(2, r#"{"groups":[]}"#))
        .await
        .unwrap();
    fixture.restart().await;
    let store = fixture.store();
    assert_eq!(
        store.run_report(&t, Flow::ItGlue).await.unwrap(),
        Some(report(2, r#"{"groups":[]}"#))
    );
    assert_eq!(store.run_report(&t, Flow::GravityZone).await.unwrap(), None);
    assert_eq!(
        store.run_report(&tenant_b(), Flow::ItGlue).await.unwrap(),
        None
    );
}
