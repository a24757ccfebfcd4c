//! Hostile names — quotes, SQL fragments, control characters, right-to-left marks, emoji,
//! combining marks, text whose case folding changes its length, 10,000-character strings — go
//! through sync-core's normalisation and matching (both flows) without a panic and with the
//! documented properties intact, and through the SQLite store unchanged (written, the store
//! closed and opened again, read back equal).

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use msp_reliability::hostile::{corpus, hostile_text, matching_corpus};
use proptest::prelude::*;
use sync_core::gravityzone as gz;
use sync_core::identifiers::{IdentifierPolicy, MacAddress, SerialNumber};
use sync_core::itglue::{
    AutotaskCompanyId, Configuration, ConfigurationId, ConfigurationOutcome, Device, DeviceUid,
    GroupId, GroupingMode, MatchOptions, MatchOrigin, MatchReason, NetworkInterface, Organization,
    OrganizationId, OrganizationIndex, Site, SiteUid, build_groups, configuration_attributes,
    match_configurations, match_organizations, parse_rmm_marker,
};
use sync_core::names::normalize_company_name;
use sync_store::{
    AuditFacts, Change, ChangedBy, ConnectionDetails, CredentialFingerprint, DeviceAudit,
    DeviceMatchRecord, Flow, IgnoredGroup, IntegrationChange, ItGlueChange, ItGlueSettings,
    NameAlias, OrganizationMatchRecord, RunOutcome, SqliteStore, Store, TenantId, Vendor,
};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn company_name_normalisation_never_panics_and_is_idempotent(name in hostile_text()) {
        let once = normalize_company_name(&name);
        prop_assert_eq!(&once.raw, &name);
        let twice = normalize_company_name(&once.key);
        prop_assert_eq!(&twice.key, &once.key);
        prop_assert!(once.key.is_empty() || once.same_company(&normalize_company_name(&name)));
        let _ = sync_core::names::same_company_name(&name, &once.exact);
    }

    #[test]
    fn mac_and_serial_normalisation_never_panic_and_round_trip(text in hostile_text()) {
        if let Ok(mac) = MacAddress::parse(&text) {
            prop_assert_eq!(MacAddress::parse(&mac.to_string()), Ok(mac));
            prop_assert_eq!(MacAddress::parse(&mac.to_bare_hex()), Ok(mac));
        }
        let policy = IdentifierPolicy {
            placeholder_serials: vec![text.clone()],
            shared_mac_addresses: vec![text.clone()],
        };
        for policy in [IdentifierPolicy::default(), policy] {
            if let Some(serial) = SerialNumber::normalize(&text, &policy) {
                prop_assert_eq!(SerialNumber::normalize(serial.as_str(), &policy), Some(serial.clone()));
            }
        }
    }

    #[test]
    fn gravityzone_names_and_plans_survive_hostile_site_and_company_names(
        names in proptest::collection::vec(hostile_text(), 1..6),
        prefix in hostile_text(),
    ) {
        for name in &names {
            let _ = gz::name::name_key(name);
            if let Some(fitted) = gz::name::fit_company_name(name) {
                prop_assert!(fitted.chars().count() <= gz::COMPANY_NAME_MAX_CHARS);
            }
            let _ = gz::name::custom_company_name(name);
            let _ = gz::prefix::plain_name(name);
        }
        let root = gz::CompanyId::new("root");
        let sites: Vec<gz::Site> = names
            .iter()
            .enumerate()
            .map(|(i, name)| gz::Site::new(format!("s{i}"), name.clone(), false))
            .collect();
        let companies: Vec<gz::Company> = names
            .iter()
            .enumerate()
            .map(|(i, name)| gz::Company::new(format!("c{i}"), format!("{prefix} {name}"), root.clone()))
            .collect();
        let snapshot = gz::InventorySnapshot::new(root, sites, companies);
        let mut settings = gz::Settings {
            level: gz::SyncLevel::AutomaticInventorySync,
            handling: gz::EventHandling::Automatic,
            ..gz::Settings::default()
        };
        settings.prefix.text = prefix.clone();
        let _ = gz::prefix::association_names(&names[0], &settings.prefix);
        let _ = gz::new_company_name(&names[0], &settings.prefix, |taken| names.iter().any(|n| n == taken));
        let _ = gz::prefixed_name(&settings.prefix, &names[0]);
        for prefix_creation in [gz::PrefixCreation::Never, gz::PrefixCreation::Always, gz::PrefixCreation::OnlyIfNameExists] {
            settings.prefix.use_for_creation = prefix_creation;
            settings.prefix.use_for_association = true;
            let plan = gz::plan(&snapshot, &gz::StoredState::default(), &settings, 1_700_000_000_000);
            let _ = format!("{plan:?}");
        }
        let plan = gz::plan(&snapshot, &gz::StoredState::default(), &settings, 1_700_000_000_000);
        let _ = format!("{plan:?}");
    }

    #[test]
    fn itglue_matching_survives_hostile_names_serials_and_macs(
        names in proptest::collection::vec(hostile_text(), 1..6),
        identifiers in proptest::collection::vec(hostile_text(), 1..6),
    ) {
        let index = OrganizationIndex::new(names.iter().enumerate().map(|(i, name)| Organization {
            id: OrganizationId(i as u64 + 1),
            name: name.clone(),
        }));
        let sites: Vec<Site> = names
            .iter()
            .enumerate()
            .map(|(i, name)| Site {
                uid: SiteUid::new(format!("site-{i}")),
                name: name.clone(),
                on_demand: false,
                autotask_company_id: Some(AutotaskCompanyId::new(name.clone())),
                autotask_company_name: Some(name.clone()),
            })
            .collect();
        let policy = IdentifierPolicy::default();
        let devices: Vec<Device> = identifiers
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let mut device = Device::new(
                    DeviceUid::new(text.clone()),
                    SiteUid::new(format!("site-{}", i % names.len())),
                    text.clone(),
                );
                device.serial_numbers = vec![text.clone()];
                device.network_interfaces = vec![NetworkInterface {
                    name: Some(text.clone()),
                    ipv4: Some(text.clone()),
                    ipv6: None,
                    mac_address: Some(text.clone()),
                }];
                device.operating_system = Some(text.clone());
                device.manufacturer = Some(text.clone());
                device
            })
            .collect();
        for mode in [GroupingMode::Site, GroupingMode::AutotaskCompany] {
            let groups = build_groups(&sites, &devices, mode);
            let matching = match_organizations(&groups, &index, &[], &[], &MatchOptions::default());
            let _ = (matching.counts(), format!("{matching:?}"));
        }
        let configurations: Vec<Configuration> = identifiers
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let mut configuration = Configuration::new(ConfigurationId(i as u64 + 1), OrganizationId(1), text.clone());
                configuration.serial_number = Some(text.clone());
                configuration.mac_addresses = vec![text.clone()];
                configuration.hostname = Some(text.clone());
                configuration.installed_by = Some(text.clone());
                configuration
            })
            .collect();
        let matching = match_configurations(&devices, &configurations, &[], &policy);
        let _ = format!("{matching:?}");
        for device in &devices {
            let attributes = configuration_attributes(device, &policy);
            prop_assert_eq!(attributes.hostname.as_str(), device.hostname.trim());
            // the marker that finds the configuration again names this device (the marker is
            // read without surrounding blanks, so a uid must have none, as Datto's uids do)
            let uid = device.uid.as_str();
            if !uid.is_empty() && uid == uid.trim() {
                prop_assert_eq!(parse_rmm_marker(&attributes.installed_by), Some(device.uid.clone()));
            }
        }
    }
}

#[test]
fn every_hostile_name_matches_its_own_organization_exactly() {
    let names = matching_corpus();
    let index = OrganizationIndex::new(names.iter().enumerate().map(|(i, name)| Organization {
        id: OrganizationId(i as u64 + 1),
        name: name.clone(),
    }));
    let mut exact_forms: BTreeMap<String, usize> = BTreeMap::new();
    for name in &names {
        *exact_forms
            .entry(normalize_company_name(name).exact)
            .or_default() += 1;
    }
    let mut checked = 0;
    for (i, name) in names.iter().enumerate() {
        let normalized = normalize_company_name(name);
        let result = index.evaluate(name, &MatchOptions::default());
        if normalized.key.is_empty() || exact_forms[&normalized.exact] != 1 {
            continue;
        }
        assert_eq!(
            result.matched,
            Some((OrganizationId(i as u64 + 1), MatchReason::Exact)),
            "{name:?}"
        );
        checked += 1;
    }
    assert!(checked >= names.len() / 2, "only {checked} names checked");
}

#[test]
fn a_device_with_a_hostile_hostname_still_matches_its_configuration_by_serial() {
    let policy = IdentifierPolicy::default();
    for (i, name) in matching_corpus().into_iter().enumerate() {
        let mut device = Device::new(
            DeviceUid::new(name.clone()),
            SiteUid::new("s"),
            name.clone(),
        );
        device.serial_numbers = vec![format!("SN{i:06}X")];
        let mut configuration =
            Configuration::new(ConfigurationId(7), OrganizationId(1), name.clone());
        configuration.serial_number = Some(format!("sn{i:06}x"));
        let result = match_configurations(&[device], &[configuration], &[], &policy);
        assert!(
            matches!(
                result.matches[0].outcome,
                ConfigurationOutcome::Matched {
                    configuration: ConfigurationId(7),
                    ..
                }
            ),
            "{name:?}: {:?}",
            result.matches[0].outcome
        );
    }
}

/// Everything a tenant's rows can hold that came from a vendor or a user, filled with `texts`.
struct Written {
    tenant: TenantId,
    changes: Vec<Change>,
    audit: DeviceAudit,
}

fn rows(index: usize, texts: &[String]) -> Written {
    let text = |n: usize| texts[(index + n) % texts.len()].clone();
    let at = Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap();
    let tenant =
        TenantId::new("https://merlot-api.centrastage.net", &text(0)).unwrap_or_else(|_| {
            TenantId::new(
                "https://merlot-api.centrastage.net",
                &format!("acct-{index}"),
            )
            .unwrap()
        });
    let settings = ItGlueSettings {
        aliases: vec![NameAlias {
            name: text(1),
            same_as: text(2),
        }],
        identifiers: IdentifierPolicy {
            placeholder_serials: vec![text(3)],
            shared_mac_addresses: vec![text(4)],
        },
        ..ItGlueSettings::default()
    };
    let changes = vec![
        IntegrationChange::Save {
            vendor: Vendor::ItGlue,
            connection: ConnectionDetails {
                url: Some(text(5)),
                region: Some(text(6)),
                platform: Some(text(7)),
                account: None,
            },
            fingerprint: CredentialFingerprint::of_secrets([text(8).as_str()]),
        }
        .into(),
        ItGlueChange::SaveSettings(settings).into(),
        ItGlueChange::MatchOrganization(OrganizationMatchRecord::new(
            GroupId::Site(SiteUid::new(text(9))),
            OrganizationId(1),
            MatchOrigin::User,
            ChangedBy::user(text(10)),
            at,
        ))
        .into(),
        ItGlueChange::MatchDevice(DeviceMatchRecord {
            device: DeviceUid::new(text(11)),
            configuration: ConfigurationId(2),
            origin: MatchOrigin::Automatic {
                reason: MatchReason::SerialNumber,
            },
            made_by: ChangedBy::Sync,
            made_at: at,
        })
        .into(),
        ItGlueChange::IgnoreGroup(IgnoredGroup {
            group: GroupId::AutotaskCompany(AutotaskCompanyId::new(text(12))),
            ignored_by: ChangedBy::user(text(13)),
            ignored_at: at,
        })
        .into(),
    ];
    let audit = DeviceAudit {
        device_uid: text(14),
        last_audit_date: at,
        facts: AuditFacts {
            serial_numbers: vec![text(15), text(16)],
            mac_addresses: vec![text(17)],
            manufacturer: Some(text(18)),
            model: Some(text(19)),
            ..AuditFacts::default()
        },
    };
    Written {
        tenant,
        changes,
        audit,
    }
}

#[tokio::test]
async fn hostile_strings_survive_the_sqlite_store_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    let texts = corpus();
    let at = Utc.with_ymd_and_hms(2025, 1, 2, 3, 4, 5).unwrap();
    let written: Vec<Written> = (0..texts.len()).map(|i| rows(i, &texts)).collect();
    let mut expected_state = Vec::new();
    let mut expected_runs = Vec::new();
    {
        let store = SqliteStore::open(&path).await.unwrap();
        for (i, rows) in written.iter().enumerate() {
            let tenant = &rows.tenant;
            let version = store.state(tenant).await.unwrap().version;
            store.apply(tenant, version, &rows.changes).await.unwrap();
            store.put_device_audit(tenant, &rows.audit).await.unwrap();
            let key = &texts[i];
            let key = if key.is_empty() {
                "empty-key"
            } else {
                key.as_str()
            };
            store
                .record_intent(tenant, key, &texts[(i + 1) % texts.len()], at)
                .await
                .unwrap();
            store.mark_sent(tenant, key, at).await.unwrap();
            store
                .complete(tenant, key, &texts[(i + 2) % texts.len()], at)
                .await
                .unwrap();
            let run = store.start_run(tenant, Flow::ItGlue, at).await.unwrap();
            let counts = BTreeMap::from([(texts[(i + 3) % texts.len()].clone(), 7u64)]);
            let outcome = RunOutcome::Failed {
                reason: texts[(i + 4) % texts.len()].clone(),
            };
            expected_runs.push(
                store
                    .finish_run(tenant, run.id, outcome, &counts, at)
                    .await
                    .unwrap(),
            );
            expected_state.push(store.state(tenant).await.unwrap());
        }
    }
    let store = SqliteStore::open(&path).await.unwrap();
    store.check_integrity().await.unwrap();
    for (i, rows) in written.iter().enumerate() {
        let tenant = &rows.tenant;
        let state = store.state(tenant).await.unwrap();
        assert_eq!(state, expected_state[i], "tenant {i}");
        let itglue = &state.itglue;
        assert_eq!(
            itglue.settings_or_default().aliases[0].name,
            texts[(i + 1) % texts.len()]
        );
        assert_eq!(
            itglue.organization_matches[0].group(),
            &GroupId::Site(SiteUid::new(texts[(i + 9) % texts.len()].clone()))
        );
        assert_eq!(
            store
                .device_audit(tenant, &rows.audit.device_uid)
                .await
                .unwrap()
                .as_ref(),
            Some(&rows.audit)
        );
        let journal = store.journal(tenant).await.unwrap();
        assert_eq!(journal[0].description, texts[(i + 1) % texts.len()]);
        assert_eq!(
            journal[0].result.as_deref(),
            Some(texts[(i + 2) % texts.len()].as_str())
        );
        let runs = store.runs(tenant, Some(Flow::ItGlue), 10).await.unwrap();
        assert_eq!(runs, vec![expected_runs[i].clone()]);
    }
    assert!(store.tenants().await.unwrap().len() >= written.len() / 2);
}

#[test]
fn long_runs_of_legal_forms_and_initials_normalise_to_a_stable_key() {
    // 2,000 characters: their normalisation cost grows with the square of the length (see
    // docs/reliability.md), the 10,000-character versions go through the store test above.
    for name in [
        msp_reliability::hostile::repeated_legal_forms(2_000),
        msp_reliability::hostile::spelled_initials(2_000),
    ] {
        let normalized = normalize_company_name(&name);
        assert!(!normalized.key.is_empty(), "no step removes the last word");
        assert_eq!(normalize_company_name(&normalized.key).key, normalized.key);
    }
}
