//! `ItGlueFlow::walk_through`: a first onboarding in one call — a sync, the best suggestions
//! accepted, one organization's missing configurations created, two syncs after — and what it
//! says, everything by name.

mod itglue_support;

use sync_core::itglue::{GroupId, OrganizationId, SiteUid};
use sync_store::Store;

use itglue_support::{World, admin, standard, tenant};

#[tokio::test]
async fn a_walk_through_accepts_the_suggestions_creates_what_is_missing_and_ends_idempotent() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    let before = world.docs.configurations_of(OrganizationId(1)).len();

    let walk = world.flow.walk_through(&admin()).await.unwrap();

    // The first sync: Crane Logistcs only suggested, accepted by its name.
    assert_eq!(walk.first.groups_suggested, 1);
    assert_eq!(walk.accepted, ["Crane Logistcs"]);
    let state = world.store.state(&tenant()).await.unwrap();
    let crane = GroupId::Site(SiteUid::new("s-crane"));
    assert_eq!(
        state
            .itglue
            .organization_of(&crane)
            .map(|m| m.organization()),
        Some(OrganizationId(3))
    );
    // Acme has the devices without a configuration: they were created, one bulk call.
    let (organization, created) = walk.created_configurations.clone().unwrap();
    assert_eq!(organization, "Acme Dental GmbH");
    assert!(created > 0);
    assert_eq!(
        world.docs.configurations_of(OrganizationId(1)).len(),
        before + created
    );
    assert_eq!(walk.second.groups_matched, walk.first.groups_matched + 1);
    assert!(walk.second.devices_matched >= walk.first.devices_matched + created as u64);
    // Nothing changed before the third sync: it writes nothing.
    assert_eq!(walk.third_updates.configurations_updated, 0);
    assert!(walk.third_updates.fields.is_empty());

    let lines = walk.lines();
    assert!(lines[0].starts_with("First sync: "), "{lines:?}");
    for expected in [
        "Matched organizations:",
        "Suggested (best first):",
        "  \"Crane Logistcs\": Crane Logistics (#3) ",
        "  accepted the best suggestion for 1 group(s)",
        "missing configuration(s) in \"Acme Dental GmbH\" (one bulk call)",
        "Third sync, nothing changed: 0 configuration(s) updated",
    ] {
        assert!(
            lines.iter().any(|line| line.contains(expected)),
            "no line has {expected:?}: {lines:#?}"
        );
    }
    // Groups are named by name, never by a site uid.
    assert!(
        lines
            .iter()
            .all(|line| !line.contains("s-crane") && !line.contains("s-acme")),
        "{lines:#?}"
    );
    let json = serde_json::to_value(&walk).unwrap();
    assert_eq!(json["accepted"][0], "Crane Logistcs");
    assert!(json["devices_matched_by"].is_object(), "{json}");
}
