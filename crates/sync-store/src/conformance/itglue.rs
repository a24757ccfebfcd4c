//! Cases on the IT Glue flow's state: settings, organization and device matches, ignored groups.

use sync_core::identifiers::IdentifierPolicy;
use sync_core::itglue::{
    AutotaskCompanyId, ConfigurationId, DeviceUid, GroupId, GroupingMode, MatchOrigin, MatchReason,
    OrganizationId, SiteUid,
};

use super::{Fixture, at, tenant_a, tenant_b};
use crate::{
    Change, ChangedBy, DeviceMatchRecord, IgnoredGroup, ItGlueChange, ItGlueSettings, NameAlias,
    OrganizationMatchRecord, RecordKind, Store, StoreError, TenantId, Version,
};

/// Applies `changes` at the tenant's current version.
pub(super) async fn write<S: Store + ?Sized>(
    store: &S,
    tenant: &TenantId,
    changes: Vec<ItGlueChange>,
) -> Result<Version, StoreError> {
    let version = store.version(tenant).await?;
    let changes: Vec<Change> = changes.into_iter().map(Change::from).collect();
    store.apply(tenant, version, &changes).await
}

pub(super) fn site_group(uid: &str) -> GroupId {
    GroupId::Site(SiteUid::new(uid))
}

fn automatic(reason: MatchReason) -> MatchOrigin {
    MatchOrigin::Automatic { reason }
}

pub(super) fn organization_match(group: GroupId, organization: u64) -> OrganizationMatchRecord {
    OrganizationMatchRecord::new(
        group,
        OrganizationId(organization),
        automatic(MatchReason::Exact),
        ChangedBy::Sync,
        at(60),
    )
}

pub(super) fn device_match(device: &str, configuration: u64) -> DeviceMatchRecord {
    DeviceMatchRecord {
        device: DeviceUid::new(device),
        configuration: ConfigurationId(configuration),
        origin: automatic(MatchReason::MacAddress),
        made_by: ChangedBy::Sync,
        made_at: at(61),
    }
}

/// Settings read back as saved; aliases and placeholder serials reach sync-core.
pub async fn itglue_settings_round_trip<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let itg = store.state(&t).await.unwrap().itglue;
    assert_eq!(itg.settings, None);
    assert_eq!(itg.settings_or_default(), ItGlueSettings::default());
    let settings = ItGlueSettings {
        grouping: GroupingMode::AutotaskCompany,
        aliases: vec![NameAlias {
            name: "ACME Rocky Mountain".into(),
            same_as: "Acme Holdings Ltd".into(),
        }],
        identifiers: IdentifierPolicy {
            placeholder_serials: vec!["Default string".into()],
            shared_mac_addresses: vec!["02:00:4C:4F:4F:50".into()],
        },
        create_cap: 5,
        update_policies: {
            let mut policies = sync_core::itglue::UpdatePolicies::default();
            policies.set(
                sync_core::itglue::ConfigurationField::Name,
                sync_core::itglue::FieldPolicy::Overwrite,
            );
            policies
        },
        configuration_types: [(
            sync_core::itglue::ConfigurationKind::Firewall,
            "Perimeter".to_owned(),
        )]
        .into_iter()
        .collect(),
        deleted_devices: sync_core::itglue::DeletedDevicePolicy::Archive,
        sync_interval_minutes: 90,
    };
    write(
        store,
        &t,
        vec![ItGlueChange::SaveSettings(settings.clone())],
    )
    .await
    .unwrap();
    let stored = store.state(&t).await.unwrap().itglue.settings.unwrap();
    assert_eq!(stored, settings);
    assert!(!stored.match_options().aliases.is_empty());
    assert!(stored.identifiers.is_placeholder_serial("DEFAULTSTRING"));
}

/// Organization matches keep group, organization, origin and author; matching a group again
/// replaces its match; several groups may share an organization.
pub async fn organization_matches_round_trip_and_are_replaced<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let autotask = GroupId::AutotaskCompany(AutotaskCompanyId::new("29683501"));
    let first = organization_match(site_group("site-1"), 4_211_235_000_001);
    let shared = OrganizationMatchRecord::new(
        autotask.clone(),
        OrganizationId(4_211_235_000_001),
        automatic(MatchReason::Normalised),
        ChangedBy::Sync,
        at(62),
    );
    write(
        store,
        &t,
        vec![
            ItGlueChange::MatchOrganization(shared.clone()),
            ItGlueChange::MatchOrganization(first.clone()),
        ],
    )
    .await
    .unwrap();
    let itg = store.state(&t).await.unwrap().itglue;
    assert_eq!(itg.organization_matches, [first.clone(), shared.clone()]);
    assert_eq!(
        itg.stored_organization_matches(),
        [first.organization_match, shared.organization_match.clone()]
    );

    let changed = OrganizationMatchRecord::new(
        site_group("site-1"),
        OrganizationId(4_211_235_000_002),
        MatchOrigin::User,
        ChangedBy::user("dana"),
        at(70),
    );
    write(
        store,
        &t,
        vec![ItGlueChange::MatchOrganization(changed.clone())],
    )
    .await
    .unwrap();
    let itg = store.state(&t).await.unwrap().itglue;
    assert_eq!(itg.organization_of(&site_group("site-1")), Some(&changed));
    assert_eq!(itg.organization_of(&autotask), Some(&shared));

    let unmatch = ItGlueChange::UnmatchOrganization {
        group: site_group("site-1"),
    };
    write(store, &t, vec![unmatch.clone()]).await.unwrap();
    assert!(matches!(
        write(store, &t, vec![unmatch]).await,
        Err(StoreError::NotFound {
            kind: RecordKind::OrganizationMatch,
            ..
        })
    ));
    assert_eq!(
        store.state(&t).await.unwrap().itglue.organization_matches,
        [shared]
    );
}

/// A device has one configuration and a configuration serves one device.
pub async fn device_matches_round_trip_one_configuration_per_device<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    write(
        store,
        &t,
        vec![
            ItGlueChange::MatchDevice(device_match("dev-b", 900)),
            ItGlueChange::MatchDevice(device_match("dev-a", 901)),
        ],
    )
    .await
    .unwrap();
    let taken = write(
        store,
        &t,
        vec![ItGlueChange::MatchDevice(device_match("dev-c", 900))],
    )
    .await;
    assert!(matches!(
        taken,
        Err(StoreError::Duplicate {
            kind: RecordKind::DeviceMatch,
            ..
        })
    ));
    // Rematching a device moves it to another configuration, freeing the first.
    let moved = DeviceMatchRecord {
        origin: MatchOrigin::User,
        made_by: ChangedBy::user("erin"),
        ..device_match("dev-b", 902)
    };
    write(store, &t, vec![ItGlueChange::MatchDevice(moved.clone())])
        .await
        .unwrap();
    write(
        store,
        &t,
        vec![ItGlueChange::MatchDevice(device_match("dev-c", 900))],
    )
    .await
    .unwrap();
    let itg = store.state(&t).await.unwrap().itglue;
    assert_eq!(
        itg.device_matches,
        [
            device_match("dev-a", 901),
            moved,
            device_match("dev-c", 900)
        ]
    );
    let unmatch = ItGlueChange::UnmatchDevice {
        device: DeviceUid::new("dev-a"),
    };
    write(store, &t, vec![unmatch.clone()]).await.unwrap();
    assert!(matches!(
        write(store, &t, vec![unmatch]).await,
        Err(StoreError::NotFound {
            kind: RecordKind::DeviceMatch,
            ..
        })
    ));
    // Configurations are per tenant.
    write(
        store,
        &tenant_b(),
        vec![ItGlueChange::MatchDevice(device_match("dev-x", 900))],
    )
    .await
    .unwrap();
}

/// One batch of device matches is checked in order: a configuration freed by a device's move
/// earlier in the batch is free for a later match, a device may be matched twice (its last
/// match stays), and a match taking a configuration held at its turn refuses the whole batch.
pub async fn device_matches_in_one_batch_are_checked_in_order<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let m = |device: &str, configuration: u64| {
        ItGlueChange::MatchDevice(device_match(device, configuration))
    };
    write(store, &t, vec![m("dev-a", 1), m("dev-b", 2)])
        .await
        .unwrap();
    // a: 1 → 3 frees 1 for b, b: 2 → 1 frees 2 for c; e is matched to 4, then moved to 5,
    // which frees 4 for f.
    let batch = vec![
        m("dev-a", 3),
        m("dev-b", 1),
        m("dev-c", 2),
        m("dev-e", 4),
        m("dev-e", 5),
        m("dev-f", 4),
    ];
    write(store, &t, batch).await.unwrap();
    let itg = store.state(&t).await.unwrap().itglue;
    let expected = [
        ("dev-a", 3),
        ("dev-b", 1),
        ("dev-c", 2),
        ("dev-e", 5),
        ("dev-f", 4),
    ]
    .map(|(device, configuration)| device_match(device, configuration));
    assert_eq!(itg.device_matches, expected);
    // Swapping in this order is refused at the first step (3 still serves a), whole.
    let version = store.version(&t).await.unwrap();
    let refused = write(store, &t, vec![m("dev-g", 6), m("dev-b", 3), m("dev-a", 1)]).await;
    assert!(matches!(
        refused,
        Err(StoreError::Duplicate {
            kind: RecordKind::DeviceMatch,
            ..
        })
    ));
    assert_eq!(store.version(&t).await.unwrap(), version);
    assert_eq!(
        store.state(&t).await.unwrap().itglue.device_matches,
        expected
    );
}

/// IT Glue ids are kept whole, up to the largest 64-bit number.
pub async fn itglue_ids_are_kept_whole<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let ids = [
        0,
        1,
        4_211_235_000_001,
        i64::MAX as u64,
        i64::MAX as u64 + 1,
        u64::MAX,
    ];
    let changes = ids
        .iter()
        .enumerate()
        .flat_map(|(i, id)| {
            [
                ItGlueChange::MatchOrganization(organization_match(
                    site_group(&format!("site-{i}")),
                    *id,
                )),
                ItGlueChange::MatchDevice(device_match(&format!("dev-{i}"), *id)),
            ]
        })
        .collect();
    write(store, &t, changes).await.unwrap();
    let itg = store.state(&t).await.unwrap().itglue;
    let organizations: Vec<u64> = itg
        .organization_matches
        .iter()
        .map(|m| m.organization().0)
        .collect();
    let configurations: Vec<u64> = itg
        .device_matches
        .iter()
        .map(|m| m.configuration.0)
        .collect();
    assert_eq!(organizations, ids);
    assert_eq!(configurations, ids);
}

/// A group is ignored once, with author and time, and unignored only when ignored.
pub async fn ignored_groups_round_trip<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let autotask = IgnoredGroup {
        group: GroupId::AutotaskCompany(AutotaskCompanyId::new("77")),
        ignored_by: ChangedBy::user("frank"),
        ignored_at: at(80),
    };
    let site = IgnoredGroup {
        group: site_group("site-9"),
        ignored_by: ChangedBy::Sync,
        ignored_at: at(81),
    };
    write(
        store,
        &t,
        vec![
            ItGlueChange::IgnoreGroup(autotask.clone()),
            ItGlueChange::IgnoreGroup(site.clone()),
        ],
    )
    .await
    .unwrap();
    let itg = store.state(&t).await.unwrap().itglue;
    assert_eq!(itg.ignored_groups, [site.clone(), autotask.clone()]);
    assert_eq!(
        itg.ignored_group_ids(),
        [site.group.clone(), autotask.group.clone()]
    );
    assert!(itg.is_ignored(&site_group("site-9")));
    assert!(matches!(
        write(store, &t, vec![ItGlueChange::IgnoreGroup(site)]).await,
        Err(StoreError::Duplicate {
            kind: RecordKind::IgnoredGroup,
            ..
        })
    ));
    let unignore = ItGlueChange::UnignoreGroup {
        group: autotask.group.clone(),
    };
    write(store, &t, vec![unignore.clone()]).await.unwrap();
    assert!(matches!(
        write(store, &t, vec![unignore]).await,
        Err(StoreError::NotFound {
            kind: RecordKind::IgnoredGroup,
            ..
        })
    ));
    assert!(
        !store
            .state(&t)
            .await
            .unwrap()
            .itglue
            .is_ignored(&autotask.group)
    );
}
