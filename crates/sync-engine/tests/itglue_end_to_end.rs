//! The IT Glue flow end to end: the real clients and adapters against the msp-fakes Datto RMM
//! and IT Glue fakes serving a generated MSP (200 sites, 5,000 devices) and the documentation
//! account planted from it. Checks the stored matches against what was planted, the Datto RMM
//! calls a first run, an unchanged second run and a one-device change cost, the network-interface
//! listings a rerun after a failed run saves, failed pages, refused credentials and a create
//! cut off before the store's write.

mod itglue_support;

use std::collections::{BTreeMap, BTreeSet};

use msp_fakes::harness::{FaultKind, FaultPlan};
use msp_fakes::itglue::{DecoyReason, PlantedIdentifier};
use msp_fakes::msp::{DeviceClass, MspSize, SiteKind};
use sync_core::itglue::{
    ConfigurationId, ConfigurationOutcome, DeviceUid, GroupId, OrganizationId, OrganizationOutcome,
    SiteUid,
};
use sync_core::names::normalize_company_name;
use sync_engine::itglue::{Created, ItGlueError, Mode, NoProgress, SyncReport};
use sync_store::{Flow, RunStatus, Store};

use itglue_support::admin;
use itglue_support::fakes::FakeAccount;
use itglue_support::flaky_store::FailNext;

const SEED: u64 = 42;

/// Datto RMM's page size.
const PAGE: usize = 250;

fn pages(items: usize) -> usize {
    items.div_ceil(PAGE).max(1)
}

/// Datto RMM requests by kind: (site pages, device pages, network-interface pages, audits,
/// anything else but the token endpoint).
fn datto_requests(account: &FakeAccount) -> (usize, usize, usize, usize, usize) {
    let log = account.datto.log().all();
    let mut counts = (0, 0, 0, 0, 0);
    for request in &log {
        let path = request.path.as_str();
        if path == "/api/v2/account/sites" {
            counts.0 += 1;
        } else if path == "/api/v2/account/devices" {
            counts.1 += 1;
        } else if path.ends_with("/devices/network-interface") {
            counts.2 += 1;
        } else if path.starts_with("/api/v2/audit/device/") {
            counts.3 += 1;
        } else if !path.starts_with("/auth/") {
            counts.4 += 1;
        }
    }
    counts
}

fn site_group(uid: &str) -> GroupId {
    GroupId::Site(SiteUid::new(uid))
}

#[tokio::test]
async fn a_generated_msp_syncs_to_the_planted_matches_with_few_datto_calls() {
    let _ = tracing_subscriber::fmt()
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_env_filter("sync_engine=info")
        .with_test_writer()
        .try_init();
    let started = std::time::Instant::now();
    let account = FakeAccount::start(SEED, MspSize::Medium, 1000).await;
    println!("setup: {:?}", started.elapsed());
    let msp = &account.msp;
    assert!(msp.sites.len() >= 200 && msp.devices.len() >= 5_000);
    // The generator's BIOS junk includes "0123456789", which sync-core's built-in placeholder
    // list does not know: the tenant's own list takes it, as a tenant would configure it.
    let mut settings = account.flow.settings().await.unwrap();
    settings
        .identifiers
        .placeholder_serials
        .push("0123456789".into());
    account
        .flow
        .update_settings(&admin(), settings)
        .await
        .unwrap();

    let started = std::time::Instant::now();
    let report = account.flow.run(&NoProgress).await.unwrap();
    println!("first run: {:?}", started.elapsed());
    let state = account.state().await;

    // Groups: managed customer sites with devices, nothing else.
    let taking_part: BTreeSet<GroupId> = msp
        .sites
        .iter()
        .filter(|s| s.kind == SiteKind::Customer && !s.devices.is_empty())
        .map(|s| site_group(&s.uid))
        .collect();
    let groups: BTreeSet<GroupId> = report.groups.iter().map(|g| g.group.id.clone()).collect();
    assert_eq!(groups, taking_part);

    // Organizations: planted name variants matched and stored, typos only suggested.
    let stored_organizations: BTreeMap<GroupId, OrganizationId> = state
        .itglue
        .organization_matches
        .iter()
        .map(|m| (m.group().clone(), m.organization()))
        .collect();
    // Two organizations whose names differ only by legal form ("Wong & Sons LLC", "Wong & Sons
    // B.V.") are a tie: their sites get both as suggestions, never an automatic match.
    let mut keys: BTreeMap<String, usize> = BTreeMap::new();
    for organization in account.itglue.organizations() {
        *keys
            .entry(normalize_company_name(&organization.name).key)
            .or_default() += 1;
    }
    let ambiguous = |name: &str| keys.get(&normalize_company_name(name).key).copied() > Some(1);
    let expected_organizations: BTreeMap<GroupId, OrganizationId> = account
        .planted
        .sites
        .iter()
        .filter(|(_, planted)| {
            !planted.needs_fuzzy_match() && !ambiguous(&planted.organization_name)
        })
        .map(|(site, planted)| (site_group(site), OrganizationId(planted.organization_id)))
        .collect();
    let names: BTreeMap<&str, &str> = msp
        .sites
        .iter()
        .map(|s| (s.uid.as_str(), s.name.as_str()))
        .collect();
    for (group, organization) in &expected_organizations {
        if stored_organizations.get(group) != Some(organization) {
            let GroupId::Site(site) = group else { continue };
            let planted = &account.planted.sites[site.as_str()];
            println!(
                "not matched: site {:?} -> {:?} ({:?}); outcome {:?}",
                names[site.as_str()],
                planted.organization_name,
                planted.variations,
                report.group(group).map(|g| &g.outcome)
            );
        }
    }
    for (group, organization) in &stored_organizations {
        if expected_organizations.get(group) != Some(organization) {
            println!("unexpected match: {group} -> {organization}");
        }
    }
    assert_eq!(stored_organizations, expected_organizations);
    for (site, planted) in &account.planted.sites {
        if !planted.needs_fuzzy_match() && !ambiguous(&planted.organization_name) {
            continue;
        }
        match &report.group(&site_group(site)).unwrap().outcome {
            OrganizationOutcome::Suggested { suggestions } => assert!(
                suggestions
                    .iter()
                    .any(|s| s.candidate == OrganizationId(planted.organization_id)),
                "{} not suggested for {}",
                planted.organization_name,
                planted.site_name
            ),
            other => panic!(
                "{} ({:?}): {other:?}",
                planted.site_name, planted.variations
            ),
        }
    }

    // Configurations: planted MAC and serial matches stored; name matches only suggested;
    // placeholder serials and virtual adapters' MACs match nothing.
    let class_of: BTreeMap<&str, DeviceClass> = msp
        .devices
        .iter()
        .map(|d| (d.uid.as_str(), d.device_class))
        .collect();
    let matched_sites: BTreeSet<&str> = expected_organizations
        .keys()
        .filter_map(|group| match group {
            GroupId::Site(site) => Some(site.as_str()),
            _ => None,
        })
        .collect();
    let site_of: BTreeMap<&str, &str> = msp
        .devices
        .iter()
        .filter_map(|d| Some((d.uid.as_str(), msp.sites.get(d.site)?.uid.as_str())))
        .collect();
    let expected_devices: BTreeMap<DeviceUid, ConfigurationId> = account
        .planted
        .devices
        .iter()
        .filter(|(device, _)| matched_sites.contains(site_of[device.as_str()]))
        .filter(|(device, planted)| match planted.shares {
            PlantedIdentifier::MacAndSerial | PlantedIdentifier::Mac => true,
            // Serial numbers of printers, ESXi hosts and network devices live in audits the
            // Datto RMM client does not read (only the `device` audit is implemented).
            PlantedIdentifier::Serial => class_of[device.as_str()] == DeviceClass::Device,
            _ => false,
        })
        .map(|(device, planted)| {
            (
                DeviceUid::new(device.clone()),
                ConfigurationId(planted.configuration_id),
            )
        })
        .collect();
    let stored_devices: BTreeMap<DeviceUid, ConfigurationId> = state
        .itglue
        .device_matches
        .iter()
        .map(|m| (m.device.clone(), m.configuration))
        .collect();
    let by_uid: BTreeMap<&str, &msp_fakes::msp::MspDevice> =
        msp.devices.iter().map(|d| (d.uid.as_str(), d)).collect();
    let mut differences = 0;
    for device in expected_devices.keys().chain(stored_devices.keys()) {
        if expected_devices.get(device) == stored_devices.get(device) {
            continue;
        }
        differences += 1;
        if differences <= 10 {
            let generated = by_uid[device.as_str()];
            println!(
                "device {device} ({:?}, serial {:?}, audit {:?}, nics {:?}): planted {:?}, stored {:?}, outcome {:?}",
                generated.device_class,
                generated.serial_number,
                generated.last_audit_ms,
                generated
                    .nics
                    .iter()
                    .map(|n| &n.mac_address)
                    .collect::<Vec<_>>(),
                account.planted.devices.get(device.as_str()),
                stored_devices.get(device),
                report.device(device).map(|(_, v)| &v.outcome),
            );
        }
    }
    assert_eq!(
        differences, 0,
        "{differences} devices differ from the planted matches"
    );
    for (device, planted) in &account.planted.devices {
        if planted.shares != PlantedIdentifier::Name
            || !matched_sites.contains(site_of[device.as_str()])
        {
            continue;
        }
        let (_, view) = report.device(&DeviceUid::new(device.clone())).unwrap();
        assert!(
            matches!(&view.outcome, ConfigurationOutcome::Suggested { suggestions }
                if suggestions.iter().any(|s| s.candidate == ConfigurationId(planted.configuration_id))),
            "device {device}: {:?}",
            view.outcome
        );
    }
    let taken: BTreeSet<ConfigurationId> = stored_devices.values().copied().collect();
    let mut decoys_by_reason = BTreeMap::new();
    for decoy in &account.planted.decoys {
        assert!(
            !taken.contains(&ConfigurationId(decoy.configuration_id)),
            "{decoy:?}"
        );
        let reason = match decoy.reason {
            DecoyReason::PlaceholderSerial { .. } => "placeholder serial",
            DecoyReason::VirtualAdapterMac { .. } => "virtual adapter MAC",
            _ => "documentation only",
        };
        *decoys_by_reason.entry(reason).or_insert(0) += 1;
    }
    println!("decoys matched by no device: {decoys_by_reason:?}");

    // Datto RMM calls: the site and device pages, at most one network-interface listing per
    // site with devices, one audit per device of class `device` in a matched organization (for
    // matching, or for its configuration's facts block) and none twice.
    let (sites, devices, interfaces, audits, other) = datto_requests(&account);
    let with_audit = with_device_audit(&report);
    println!(
        "first run: {sites} site pages, {devices} device pages, {interfaces} network-interface \
         pages, {audits} audits ({with_audit} devices have one), {other} other Datto requests; \
         {} IT Glue requests",
        account.itglue.log().len()
    );
    assert_eq!(sites, pages(msp.sites.len()));
    assert_eq!(devices, pages(msp.devices.len()));
    assert_eq!(other, 0);
    let listing_pages: usize = msp
        .sites
        .iter()
        .filter(|s| taking_part.contains(&site_group(&s.uid)))
        .map(|s| pages(s.devices.len()))
        .sum();
    assert!(
        interfaces <= listing_pages,
        "{interfaces} > {listing_pages}"
    );
    for site in &msp.sites {
        let path = format!("/api/v2/site/{}/devices/network-interface", site.uid);
        assert!(account.datto.log().count("GET", &path) <= pages(site.devices.len()));
    }
    assert_eq!(audits as u64, report.datto_calls.audits);
    assert_eq!(audits, with_audit);
    let mut audited: BTreeMap<String, usize> = BTreeMap::new();
    for request in account.datto.log().all() {
        if request.path.starts_with("/api/v2/audit/device/") {
            *audited.entry(request.path.clone()).or_default() += 1;
        }
    }
    assert!(audited.values().all(|n| *n == 1), "a device audited twice");
    assert_eq!(account.datto.log().writes(), 0);

    // IT Glue: the matched configurations brought to their devices' state, in bulk updates of
    // at most 50; the missing interfaces added, one call per configuration; missing
    // manufacturers and models created once each.
    let updates = &report.updates;
    assert!(updates.refusals.is_empty(), "{:?}", updates.refusals);
    let patched = updates
        .configurations
        .iter()
        .filter(|c| !c.changes.is_empty())
        .count();
    let with_interfaces = updates
        .configurations
        .iter()
        .filter(|c| !c.interfaces_added.is_empty())
        .count();
    let log = account.itglue.log();
    assert!(patched > 0);
    assert_eq!(log.count("PATCH", "/configurations"), patched.div_ceil(50));
    let interface_posts = log
        .all()
        .iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/configuration_interfaces"))
        .count();
    assert_eq!(interface_posts, with_interfaces);
    let lookup_posts = log.count("POST", "/manufacturers") + log.count("POST", "/models");
    assert_eq!(lookup_posts as u64, updates.lookups_created);
    assert_eq!(
        log.writes(),
        patched.div_ceil(50) + interface_posts + lookup_posts
    );

    // A second run with nothing changed: only the site and device pages, no write anywhere.
    account.datto.log().clear();
    account.itglue.log().clear();
    let started = std::time::Instant::now();
    let second = account.flow.run(&NoProgress).await.unwrap();
    println!("second run: {:?}", started.elapsed());
    let (sites2, devices2, interfaces2, audits2, other2) = datto_requests(&account);
    println!(
        "second run: {sites2} site pages, {devices2} device pages, {interfaces2} \
         network-interface pages, {audits2} audits, {other2} other"
    );
    assert_eq!(
        (sites2, devices2, interfaces2, audits2, other2),
        (sites, devices, 0, 0, 0)
    );
    assert_eq!(account.itglue.log().writes(), 0);
    assert_eq!(second.counts.organizations_matched_now, 0);
    assert_eq!(second.counts.devices_matched_now, 0);
    assert_eq!(account.state().await.itglue, state.itglue);

    // One device audited again by Datto: exactly one audit.
    let unmatched = second
        .organizations
        .iter()
        .flat_map(|o| &o.devices)
        .find(|d| {
            matches!(d.outcome, ConfigurationOutcome::Unmatched)
                && d.device.device_class.as_deref() == Some("device")
        })
        .map(|d| d.device.uid.as_str().to_owned())
        .unwrap();
    let mut changed = account
        .datto
        .devices()
        .into_iter()
        .find(|d| d.uid == unmatched)
        .unwrap();
    changed.last_audit_ms = Some(changed.last_audit_ms.unwrap_or(0) + 3_600_000);
    assert!(account.datto.remove_device(&unmatched));
    account.datto.add_device(changed);
    account.datto.log().clear();
    account.flow.run(&NoProgress).await.unwrap();
    let (_, _, interfaces3, audits3, _) = datto_requests(&account);
    println!(
        "after one device's new audit: {interfaces3} network-interface pages, {audits3} audits"
    );
    assert_eq!((interfaces3, audits3), (0, 1));
}

/// Devices of matched organizations that have a device audit: each is audited once in a
/// first run, for matching or for its configuration's facts.
fn with_device_audit(report: &SyncReport) -> usize {
    report
        .organizations
        .iter()
        .flat_map(|o| &o.devices)
        .filter(|d| d.device.device_class.as_deref() == Some("device"))
        .count()
}

#[tokio::test]
async fn a_failed_itglue_page_fails_the_run_and_nothing_is_written() {
    let account = FakeAccount::start(SEED, MspSize::Small, 5).await;
    account.itglue.fail_list_page(Some((2, 500)));
    let error = account.flow.run(&NoProgress).await.unwrap_err();
    assert!(matches!(error, ItGlueError::Vendor(_)), "{error}");
    let runs = account
        .store
        .runs(&account.tenant, Some(Flow::ItGlue), 1)
        .await
        .unwrap();
    assert!(matches!(&runs[0].status, RunStatus::Failed { .. }));
    let state = account.state().await;
    assert!(state.itglue.organization_matches.is_empty());
    assert!(state.itglue.device_matches.is_empty());
    assert_eq!(account.itglue.log().writes(), 0);
    assert_eq!(account.datto.log().writes(), 0);
}

#[tokio::test]
async fn wrong_datto_credentials_fail_the_run_and_stop_all_requests_until_new_ones_are_saved() {
    let account = FakeAccount::start(SEED, MspSize::Small, 1000).await;
    account.datto.set_credentials(
        "ROTATEDKEY0000000000000000000001",
        "ROTATEDSECRET000000000000000001",
    );
    account.datto.revoke_tokens();
    let error = account.flow.run(&NoProgress).await.unwrap_err();
    assert!(error.is_unauthorized(), "{error}");

    account.datto.log().clear();
    account.itglue.log().clear();
    let error = account.flow.run(&NoProgress).await.unwrap_err();
    assert!(
        matches!(error, ItGlueError::CredentialsInvalid { .. }),
        "{error}"
    );
    assert_eq!(account.datto.log().len(), 0);
    assert_eq!(account.itglue.log().len(), 0);

    let rotated = sync_engine::datto::DattoCredentials::new(
        account.datto.uri(),
        "ROTATEDKEY0000000000000000000001",
        "ROTATEDSECRET000000000000000001",
    );
    let flow = account.with_datto_credentials(&rotated);
    flow.connect().await.unwrap();
    flow.run(&NoProgress).await.unwrap();
}

#[tokio::test]
async fn a_bulk_create_cut_off_before_the_store_write_creates_nothing_twice() {
    let account = FakeAccount::start(SEED, MspSize::Small, 1000).await;
    let report = account.flow.run(&NoProgress).await.unwrap();
    let (organization, devices) = report
        .organizations
        .iter()
        .find_map(|o| {
            let unmatched: Vec<DeviceUid> = o
                .devices
                .iter()
                .filter(|d| matches!(d.outcome, ConfigurationOutcome::Unmatched))
                .map(|d| d.device.uid.clone())
                .take(3)
                .collect();
            (unmatched.len() >= 2).then_some((o.organization.id, unmatched))
        })
        .unwrap();
    let bulk = format!("/organizations/{organization}/relationships/configurations");

    account.store.fail_next(FailNext::Complete);
    assert!(
        account
            .flow
            .create_configurations(&admin(), &report, &devices, Mode::Apply)
            .await
            .is_err()
    );
    assert_eq!(account.itglue.log().count("POST", &bulk), 1);

    let outcome = account
        .flow
        .create_configurations(&admin(), &report, &devices, Mode::Apply)
        .await
        .unwrap();
    assert_eq!(
        account.itglue.log().count("POST", &bulk),
        1,
        "no second create"
    );
    assert!(
        outcome
            .created
            .iter()
            .all(|c| matches!(c, Created::Configuration { resumed: true, .. }))
    );
    for device in &devices {
        let marker = format!("RMM: {device}");
        let copies = account
            .itglue
            .configurations_of(organization.0)
            .into_iter()
            .filter(|c| c.installed_by.as_deref() == Some(marker.as_str()))
            .count();
        assert_eq!(copies, 1, "{device}");
    }
    let state = account.state().await;
    for device in &devices {
        assert!(state.itglue.configuration_of(device).is_some());
    }

    // The next run finds them matched and writes nothing.
    account.itglue.log().clear();
    account.flow.run(&NoProgress).await.unwrap();
    assert_eq!(account.itglue.log().writes(), 0);
}

/// A run that fails after it listed sites' network interfaces (every device audit answered 500,
/// through all of a read's retries) keeps those listings: the rerun lists no network interfaces
/// of a site whose devices did not change, and a site that gained a device is listed again.
#[tokio::test]
async fn after_a_failed_run_the_rerun_lists_no_network_interfaces_of_unchanged_sites() {
    let account = FakeAccount::start(
        SEED,
        MspSize::Custom {
            sites: 12,
            devices: 150,
        },
        1000,
    )
    .await;
    account.datto.faults().set(
        FaultPlan::new(1, 1.0, vec![FaultKind::Status500])
            .only_paths_containing("/api/v2/audit/device/"),
    );
    let error = account.flow.run(&NoProgress).await.unwrap_err().to_string();
    let (_, _, listed, audits, _) = datto_requests(&account);
    println!("failed run: {listed} network-interface pages, {audits} audit requests: {error}");
    assert!(
        listed > 0 && audits > 0,
        "{listed} listings, {audits} audits"
    );
    assert!(
        error.contains("Datto RMM")
            && error.contains("HTTP 500")
            && error.contains("GET /api/v2/audit/device/"),
        "the failure names the vendor, the endpoint and the last status: {error}"
    );

    account.datto.faults().clear();
    account.datto.log().clear();
    let report = account.flow.run(&NoProgress).await.unwrap();
    let (_, _, listed_again, _, _) = datto_requests(&account);
    assert_eq!(listed_again, 0, "no site's devices changed");
    assert_eq!(report.datto_calls.interface_listings, 0);

    // A printer (no device audit: its MACs come from the listing) joins a matched site.
    let site = report
        .organizations
        .iter()
        .flat_map(|o| &o.devices)
        .map(|d| d.device.site.as_str().to_owned())
        .next()
        .unwrap();
    let mut printer = account.datto.devices_of(&site)[0].clone();
    printer.id = 9_999_999;
    printer.uid = "printer-added-after-the-failed-run".into();
    printer.hostname = "PRN-NEW".into();
    printer.device_class = DeviceClass::Printer;
    printer.serial_number = None;
    account.datto.add_device(printer);
    account.datto.log().clear();
    account.flow.run(&NoProgress).await.unwrap();
    let (_, _, listed_after_change, _, _) = datto_requests(&account);
    assert_eq!(listed_after_change, 1, "only the changed site is listed");
}
