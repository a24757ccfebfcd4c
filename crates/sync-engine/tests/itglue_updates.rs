//! Matched configurations carry the RMM data (issue #15): the real clients and adapters against
//! the msp-fakes Datto RMM and IT Glue fakes, with IT Glue's write requests counted from the
//! fake's request log.

mod itglue_support;

use std::collections::BTreeMap;

use msp_fakes::harness::{FaultKind, FaultPlan};
use msp_fakes::itglue::FakeConfiguration;
use msp_fakes::msp::MspSize;
use sync_core::identifiers::{MacAddress, SerialNumber};
use sync_core::itglue::{
    BLOCK_BEGIN, ConfigurationField, ConfigurationOutcome, DeletedDevicePolicy, DeviceUid,
    NetworkInterface, adapter_kind, parse_rmm_marker, virtual_prefix,
};
use sync_engine::itglue::{Mode, NoProgress, UpdateOutcome};

use itglue_support::admin;
use itglue_support::fakes::FakeAccount;

/// IT Glue requests that change something.
fn itglue_writes(account: &FakeAccount) -> Vec<(String, String)> {
    account
        .itglue
        .log()
        .all()
        .into_iter()
        .filter(|r| r.method != "GET")
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect()
}

async fn small_account() -> FakeAccount {
    FakeAccount::start(
        7,
        MspSize::Custom {
            sites: 8,
            devices: 60,
        },
        1000,
    )
    .await
}

fn configuration(account: &FakeAccount, id: u64) -> FakeConfiguration {
    account.itglue.configuration(id).expect("configuration")
}

#[tokio::test]
async fn a_first_sync_fills_matched_configurations_and_an_unchanged_second_writes_nothing() {
    let account = small_account().await;
    let first = account.flow.run(&NoProgress).await.unwrap();
    let matched = first.matched_configurations();
    assert!(matched.len() >= 3, "only {} matched", matched.len());
    let generated: BTreeMap<&str, &msp_fakes::msp::MspDevice> = account
        .msp
        .devices
        .iter()
        .map(|d| (d.uid.as_str(), d))
        .collect();
    let policy = sync_core::identifiers::IdentifierPolicy::default();
    let serial = |text: &str| SerialNumber::normalize(text, &policy).map(|s| s.as_str().to_owned());
    let mut audited = 0;
    for (device, id) in &matched {
        let c = configuration(&account, id.0);
        if c.psa.is_some() {
            continue;
        }
        let truth = generated[device.as_str()];
        // Every mapped field the device has: hostname, primary IP, the primary physical
        // card's MAC, the serial number (placeholders never), manufacturer and model (from the
        // audit of a device of class `device`), the RMM marker and the facts block.
        let notes = c.notes.clone().unwrap_or_default();
        assert!(notes.contains(BLOCK_BEGIN), "{device}: {notes:?}");
        assert_eq!(
            c.hostname.as_deref(),
            Some(truth.hostname.as_str()),
            "{device}"
        );
        assert_eq!(
            c.primary_ip.as_deref(),
            Some(truth.int_ip_address.as_str()),
            "{device}"
        );
        let card = truth.nics.iter().find(|n| !n.is_virtual);
        assert_eq!(
            c.mac_address
                .as_deref()
                .map(|m| MacAddress::parse(m).unwrap()),
            card.map(|n| MacAddress::parse(&n.mac_address).unwrap()),
            "{device}"
        );
        assert_eq!(
            c.installed_by.as_deref().and_then(parse_rmm_marker),
            Some(device.clone())
        );
        if truth.device_class == msp_fakes::msp::DeviceClass::Device {
            audited += 1;
            assert!(
                c.manufacturer_id.is_some() && c.model_id.is_some(),
                "{device}"
            );
            if let Some(expected) = truth.serial_number.as_deref().and_then(serial) {
                assert_eq!(
                    c.serial_number.as_deref().and_then(serial),
                    Some(expected),
                    "{device}"
                );
            }
        }
    }
    assert!(audited >= 3, "{audited} computers checked");
    let updates = &first.updates;
    assert_eq!(
        updates.configurations_updated as usize,
        updates.configurations.len() - updates.refusals.len()
    );
    assert!(updates.refusals.is_empty(), "{:?}", updates.refusals);
    // Bulk updates of at most 50: one PATCH per 50 configurations, one per PSA-synced one.
    let writes = itglue_writes(&account);
    let bulk = writes
        .iter()
        .filter(|(m, p)| m == "PATCH" && p == "/configurations")
        .count();
    let psa = first
        .updates
        .configurations
        .iter()
        .filter(|v| !v.withheld.is_empty())
        .count();
    let non_psa = first.updates.configurations.len() - psa;
    assert!(bulk <= non_psa.div_ceil(50) + psa, "{bulk} bulk updates");

    account.itglue.log().clear();
    let second = account.flow.run(&NoProgress).await.unwrap();
    assert_eq!(itglue_writes(&account), Vec::<(String, String)>::new());
    assert_eq!(second.updates.configurations_updated, 0);
}

#[tokio::test]
async fn a_changed_ip_updates_exactly_that_configuration_and_only_its_primary_ip() {
    let account = small_account().await;
    let first = account.flow.run(&NoProgress).await.unwrap();
    account.flow.run(&NoProgress).await.unwrap();
    let (device, id) = first
        .matched_configurations()
        .into_iter()
        .map(|(device, id)| (device, id.0))
        .find(|(_, id)| configuration(&account, *id).psa.is_none())
        .unwrap();
    let mut changed = account
        .datto
        .devices()
        .into_iter()
        .find(|d| d.uid == device.as_str())
        .unwrap();
    changed.int_ip_address = "10.99.99.99".into();
    account.datto.remove_device(&changed.uid);
    account.datto.add_device(changed);
    account.itglue.log().clear();

    let third = account.flow.run(&NoProgress).await.unwrap();
    assert_eq!(third.updates.configurations_updated, 1);
    let view = &third.updates.configurations[0];
    assert_eq!(view.configuration.0, id);
    let fields: Vec<ConfigurationField> = view.changes.iter().map(|c| c.field).collect();
    assert_eq!(fields, [ConfigurationField::PrimaryIp]);
    assert_eq!(view.changes[0].new, "10.99.99.99");
    let writes = itglue_writes(&account);
    assert_eq!(
        writes,
        [("PATCH".to_owned(), format!("/configurations/{id}"))]
    );
    assert_eq!(
        configuration(&account, id).primary_ip.as_deref(),
        Some("10.99.99.99")
    );
}

#[tokio::test]
async fn a_psa_synced_configuration_gets_only_its_notes_block_and_the_run_succeeds() {
    let account = small_account().await;
    let first = account
        .flow
        .run_with(&NoProgress, Mode::DryRun)
        .await
        .unwrap();
    let (_, id) = first.matched_configurations().into_iter().next().unwrap();
    let id = id.0;
    account.itglue.modify_configuration(id, |c| {
        c.psa = Some(("autotask".into(), "4711".into()));
        c.notes = Some("Contract 12, rack 3.".into());
        c.primary_ip = Some("192.0.2.1".into());
    });
    account.itglue.log().clear();

    let report = account.flow.run(&NoProgress).await.unwrap();
    let view = report
        .updates
        .configurations
        .iter()
        .find(|v| v.configuration.0 == id)
        .unwrap();
    assert_eq!(view.outcome, UpdateOutcome::Updated);
    let fields: Vec<ConfigurationField> = view.changes.iter().map(|c| c.field).collect();
    assert_eq!(fields, [ConfigurationField::Notes]);
    assert!(view.withheld.contains(&ConfigurationField::PrimaryIp));
    let c = configuration(&account, id);
    assert_eq!(c.primary_ip.as_deref(), Some("192.0.2.1"));
    assert!(
        c.notes
            .unwrap()
            .starts_with("Contract 12, rack 3.\n===== Datto RMM")
    );
    // Its update went on its own, not in a bulk update another configuration shares.
    assert_eq!(
        itglue_writes(&account)
            .iter()
            .filter(|(_, p)| p == &format!("/configurations/{id}"))
            .count(),
        1
    );
}

#[tokio::test]
async fn a_refused_configuration_is_reported_with_its_reason_and_the_run_goes_on() {
    let account = small_account().await;
    let planned = account
        .flow
        .run_with(&NoProgress, Mode::DryRun)
        .await
        .unwrap();
    let (device, id) = planned
        .matched_configurations()
        .into_iter()
        .map(|(device, id)| (device, id.0))
        .find(|(_, id)| configuration(&account, *id).psa.is_none())
        .unwrap();
    // Datto reports an address IT Glue refuses as a primary IP (422 on `primary-ip`).
    let mut odd = account
        .datto
        .devices()
        .into_iter()
        .find(|d| d.uid == device.as_str())
        .unwrap();
    odd.int_ip_address = "10.0.0.999".into();
    account.datto.remove_device(&odd.uid);
    account.datto.add_device(odd);

    let report = account.flow.run(&NoProgress).await.unwrap();
    let refusals = &report.updates.refusals;
    assert_eq!(refusals.len(), 1, "{refusals:?}");
    assert_eq!(refusals[0].configuration.0, id);
    assert!(
        refusals[0].reason.contains("primary-ip"),
        "{}",
        refusals[0].reason
    );
    let others = report
        .updates
        .configurations
        .iter()
        .filter(|v| v.configuration.0 != id)
        .count();
    assert_eq!(report.updates.configurations_updated as usize, others);
    let notes = configuration(&account, id).notes.unwrap_or_default();
    assert!(!notes.contains(BLOCK_BEGIN));
}

#[tokio::test]
async fn a_dry_run_shows_old_and_new_values_and_writes_nothing() {
    let account = small_account().await;
    let report = account
        .flow
        .run_with(&NoProgress, Mode::DryRun)
        .await
        .unwrap();
    assert!(report.updates.dry_run);
    assert!(report.updates.configurations_updated > 0);
    assert!(
        report
            .updates
            .configurations
            .iter()
            .all(|v| v.outcome == UpdateOutcome::Planned)
    );
    let notes = report.updates.configurations[0]
        .changes
        .iter()
        .find(|c| c.field == ConfigurationField::Notes)
        .unwrap();
    assert!(notes.new.starts_with(BLOCK_BEGIN));
    assert_eq!(itglue_writes(&account), Vec::<(String, String)>::new());
}

/// Everything of the tenant the store keeps but the Datto RMM read caches.
async fn kept(account: &FakeAccount) -> impl PartialEq + std::fmt::Debug {
    use sync_store::{Flow, Store};
    let store = &account.store;
    let tenant = &account.tenant;
    (
        store.state(tenant).await.unwrap(),
        store.runs(tenant, None, 1000).await.unwrap(),
        store.run_report(tenant, Flow::ItGlue).await.unwrap(),
        store.journal(tenant).await.unwrap(),
        store.lease(tenant, Flow::ItGlue).await.unwrap(),
    )
}

#[tokio::test]
async fn a_dry_run_leaves_the_store_as_it_was_but_for_the_datto_read_caches() {
    use sync_store::Store;
    let account = small_account().await;
    let before = kept(&account).await;
    let planned = account
        .flow
        .run_with(&NoProgress, Mode::DryRun)
        .await
        .unwrap();
    // It found matches and planned updates, and recorded none of it: no run, no match, no
    // kept report, no journal entry, no lease.
    assert!(planned.counts.devices_matched_now > 0);
    assert!(planned.updates.configurations_updated > 0);
    assert_eq!(planned.run, sync_engine::itglue::DRY_RUN);
    assert_eq!(kept(&account).await, before);
    assert_eq!(itglue_writes(&account), Vec::<(String, String)>::new());
    // What a reading fills is kept, so the sync that follows reads no audit twice.
    let audits = account.store.device_audits(&account.tenant).await.unwrap();
    assert!(!audits.is_empty());

    // The sync stores what the dry run only showed; a dry run after it changes nothing either.
    let applied = account.flow.run(&NoProgress).await.unwrap();
    assert_eq!(
        applied.counts.devices_matched_now,
        planned.counts.devices_matched_now
    );
    assert_eq!(
        applied.updates.configurations_updated,
        planned.updates.configurations_updated
    );
    let after_sync = kept(&account).await;
    assert_ne!(after_sync, before);
    account.itglue.log().clear();
    let again = account
        .flow
        .run_with(&NoProgress, Mode::DryRun)
        .await
        .unwrap();
    assert_eq!(again.counts.devices_matched_now, 0);
    assert_eq!(kept(&account).await, after_sync);
    assert_eq!(itglue_writes(&account), Vec::<(String, String)>::new());
}

#[tokio::test]
async fn created_configurations_are_complete_and_never_get_a_virtual_mac() {
    let account = small_account().await;
    let report = account.flow.run(&NoProgress).await.unwrap();
    let unmatched: Vec<DeviceUid> = report
        .organizations
        .iter()
        .flat_map(|o| &o.devices)
        .filter(|d| matches!(d.outcome, ConfigurationOutcome::Unmatched))
        .map(|d| d.device.uid.clone())
        .collect();
    assert!(!unmatched.is_empty());
    account
        .flow
        .create_configurations(&admin(), &report, &unmatched, Mode::Apply)
        .await
        .unwrap();
    account.flow.run(&NoProgress).await.unwrap();

    let types: BTreeMap<u64, String> = account
        .itglue
        .named(msp_fakes::itglue::NamedKind::ConfigurationType)
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let devices: BTreeMap<String, _> = account
        .msp
        .devices
        .iter()
        .map(|d| (d.uid.clone(), d))
        .collect();
    let mut checked = 0;
    for c in account.itglue.configurations() {
        let Some(uid) = c.installed_by.as_deref().and_then(parse_rmm_marker) else {
            continue;
        };
        let Some(device) = devices.get(uid.as_str()) else {
            continue;
        };
        checked += 1;
        let virtual_machine = device.type_name.eq_ignore_ascii_case("virtual");
        if let Some(mac) = c.mac_address.as_deref() {
            let mac = MacAddress::parse(mac).unwrap();
            assert!(
                virtual_machine || virtual_prefix(&mac).is_none(),
                "{uid}: {mac}"
            );
        }
        // Each kind's type: itglue_generated_account.rs.
        assert!(types.contains_key(&c.configuration_type_id), "{uid}");
        // Every interface made from a physical adapter with an IPv4 address carries it.
        let interfaces = account.itglue.interfaces_of(c.id);
        for nic in &device.nics {
            let adapter = NetworkInterface {
                name: Some(nic.instance.clone()),
                mac_address: Some(nic.mac_address.clone()),
                ..NetworkInterface::default()
            };
            if adapter_kind(&adapter, virtual_machine) != sync_core::itglue::AdapterKind::Physical {
                continue;
            }
            let Some(ipv4) = &nic.ipv4 else { continue };
            let mac = MacAddress::parse(&nic.mac_address).ok();
            let made = interfaces.iter().find(|i| {
                i.mac_address
                    .as_deref()
                    .and_then(|m| MacAddress::parse(m).ok())
                    == mac
            });
            if let Some(made) = made {
                assert_eq!(made.ip_address.as_deref(), Some(ipv4.as_str()), "{uid}");
            }
        }
    }
    assert!(checked > 0);
}

#[tokio::test]
async fn a_failing_write_is_reported_not_written_and_the_next_sync_writes_it() {
    let account = small_account().await;
    // Every interface create answers 503 (IT Glue down for that endpoint).
    account.itglue.faults().set(
        FaultPlan::new(1, 1.0, vec![FaultKind::Status503])
            .only_paths_containing("configuration_interfaces"),
    );
    let first = account.flow.run(&NoProgress).await.unwrap();
    let failed: Vec<u64> = first
        .updates
        .not_written
        .iter()
        .map(|f| f.configuration.0)
        .collect();
    let with_interfaces = first
        .updates
        .configurations
        .iter()
        .filter(|v| matches!(v.outcome, UpdateOutcome::NotWritten { .. }))
        .count();
    assert!(!failed.is_empty(), "no interface was to be added");
    assert_eq!(failed.len(), with_interfaces);
    assert!(
        first.updates.not_written[0].reason.contains("503"),
        "{:?}",
        first.updates.not_written
    );
    // Their attributes were written all the same.
    for id in &failed {
        let notes = configuration(&account, *id).notes.unwrap_or_default();
        assert!(notes.contains(BLOCK_BEGIN), "{id}");
    }

    account.itglue.faults().clear();
    account.itglue.log().clear();
    let second = account.flow.run(&NoProgress).await.unwrap();
    assert!(second.updates.not_written.is_empty());
    let added: Vec<u64> = second
        .updates
        .configurations
        .iter()
        .filter(|v| !v.interfaces_added.is_empty())
        .map(|v| v.configuration.0)
        .collect();
    assert_eq!(added, failed);
    let posts = account
        .itglue
        .log()
        .count_where(|r| r.method == "POST" && r.path.ends_with("/configuration_interfaces"));
    assert_eq!(posts, failed.len());
}

#[tokio::test]
async fn a_deleted_devices_configuration_is_kept_by_default_and_archived_when_the_tenant_says_so() {
    let account = small_account().await;
    let first = account.flow.run(&NoProgress).await.unwrap();
    let mut unsynced = first
        .matched_configurations()
        .into_iter()
        .map(|(device, id)| (device, id.0))
        .filter(|(_, id)| configuration(&account, *id).psa.is_none());
    let (kept_device, kept) = unsynced.next().expect("a matched configuration");
    let (archived_device, archived) = unsynced.next().expect("a second one");
    account.flow.run(&NoProgress).await.unwrap();

    // Default: the configuration stays as it is, counted; nothing is written for it.
    assert!(account.datto.remove_device(kept_device.as_str()));
    account.itglue.log().clear();
    let second = account.flow.run(&NoProgress).await.unwrap();
    assert_eq!(second.updates.deleted_devices_kept, 1);
    assert_eq!(second.updates.deleted_devices_archived, 0);
    assert!(!configuration(&account, kept).archived);
    assert_eq!(itglue_writes(&account), Vec::<(String, String)>::new());

    // The tenant chooses archiving: both configurations whose device is gone are archived in
    // one bulk update, and none is ever deleted.
    let mut settings = account.flow.settings().await.unwrap();
    settings.deleted_devices = DeletedDevicePolicy::Archive;
    account
        .flow
        .update_settings(&admin(), settings)
        .await
        .unwrap();
    assert!(account.datto.remove_device(archived_device.as_str()));
    account.itglue.log().clear();
    let third = account.flow.run(&NoProgress).await.unwrap();
    assert_eq!(third.updates.deleted_devices_archived, 2);
    assert_eq!(third.updates.deleted_devices_kept, 0);
    assert!(configuration(&account, kept).archived);
    assert!(configuration(&account, archived).archived);
    let writes = itglue_writes(&account);
    assert!(
        writes.iter().all(|(method, _)| method == "PATCH"),
        "{writes:?}"
    );
    assert_eq!(writes.len(), 1, "{writes:?}");

    // Archived once, they are not archived again.
    account.itglue.log().clear();
    let fourth = account.flow.run(&NoProgress).await.unwrap();
    assert_eq!(fourth.updates.deleted_devices_archived, 0);
    assert_eq!(itglue_writes(&account), Vec::<(String, String)>::new());
}

/// Kept audits are read per device when a run needs them, not held for the whole run
/// (issue #19). After a first sync keeps every audit, one device is audited again by Datto
/// RMM with a new serial number: the next sync audits that device alone, lists no site's
/// interfaces, and writes that configuration alone with only its serial number; every other
/// configuration keeps what the kept audits gave it.
#[tokio::test]
async fn after_one_device_s_new_audit_a_sync_reads_kept_audits_and_writes_only_that_change() {
    let account = small_account().await;
    let first = account.flow.run(&NoProgress).await.unwrap();
    assert!(first.datto_calls.audits >= 3, "{:?}", first.datto_calls);
    let second = account.flow.run(&NoProgress).await.unwrap();
    assert_eq!(second.datto_calls.audits, 0);
    assert_eq!(second.updates.configurations_updated, 0);

    let (mut changed, id) = first
        .matched_configurations()
        .into_iter()
        .map(|(device, id)| (device, id.0))
        .filter(|(_, id)| configuration(&account, *id).psa.is_none())
        .find_map(|(device, id)| {
            let fake = account
                .datto
                .devices()
                .into_iter()
                .find(|d| d.uid == device.as_str())?;
            let audited = fake.device_class == msp_fakes::msp::DeviceClass::Device
                && fake.serial_number.is_some()
                && fake.last_audit_ms.is_some();
            audited.then_some((fake, id))
        })
        .expect("a matched computer with a serial number");
    changed.serial_number = Some("NEWSERIAL-19".into());
    changed.last_audit_ms = changed.last_audit_ms.map(|ms| ms + 60_000);
    account.datto.remove_device(&changed.uid);
    account.datto.add_device(changed.clone());
    account.itglue.log().clear();

    let third = account.flow.run(&NoProgress).await.unwrap();
    assert_eq!(third.datto_calls.audits, 1, "{:?}", third.datto_calls);
    assert_eq!(third.datto_calls.interface_listings, 0);
    assert_eq!(third.updates.configurations_updated, 1);
    let view = &third.updates.configurations[0];
    assert_eq!(view.configuration.0, id);
    let fields: Vec<ConfigurationField> = view.changes.iter().map(|c| c.field).collect();
    assert_eq!(fields, [ConfigurationField::SerialNumber]);
    assert_eq!(
        itglue_writes(&account),
        [("PATCH".to_owned(), format!("/configurations/{id}"))]
    );
    assert_eq!(
        configuration(&account, id).serial_number.as_deref(),
        Some("NEWSERIAL-19")
    );
    // The report's device carries the new audit; the others their kept facts.
    let device = DeviceUid::new(changed.uid.as_str());
    let (_, view) = third.device(&device).unwrap();
    assert_eq!(view.device.serial_numbers, ["NEWSERIAL-19"]);
    let audited_before = first
        .organizations
        .iter()
        .flat_map(|o| &o.devices)
        .filter(|d| d.device.uid != device && !d.device.serial_numbers.is_empty())
        .map(|d| (d.device.uid.clone(), d.device.serial_numbers.clone()))
        .collect::<BTreeMap<_, _>>();
    assert!(!audited_before.is_empty());
    for (uid, serials) in &audited_before {
        let (_, view) = third.device(uid).unwrap();
        assert_eq!(&view.device.serial_numbers, serials, "{uid}");
    }
}
