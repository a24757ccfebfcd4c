//! The IT Glue flow's references, as the binaries resolve what a person types: groups by
//! name, site uid or Autotask company id; organizations by id or name; configurations by id,
//! name or hostname. Names compare in sync-core's Unicode rules; a reference that names no
//! record or several is a typed error naming the candidates.

mod itglue_support;

use sync_core::itglue::{
    ConfigurationId, DeviceUid, GroupId, Organization, OrganizationId, SiteUid,
};
use sync_engine::itglue::{ItGlueError, SyncReport};
use sync_engine::lookup::{Candidate, LookupError, Subject};

use itglue_support::doubles::MemoryItGlue;
use itglue_support::{World, admin, configuration, standard};

async fn world_after_a_run() -> (World, SyncReport) {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    let report = world.run().await;
    (world, report)
}

#[tokio::test]
async fn a_group_is_found_by_site_uid_or_by_its_name_in_any_case() {
    let (_world, report) = world_after_a_run().await;
    let bolt = GroupId::Site(SiteUid::new("s-bolt"));
    assert_eq!(report.find_group("s-bolt").unwrap().group.id, bolt);
    assert_eq!(report.find_group(" bolt plumbing ").unwrap().group.id, bolt);
    assert_eq!(
        report.find_group("Nowhere Ltd").unwrap_err(),
        LookupError::not_found(Subject::Group, "Nowhere Ltd")
    );
}

#[tokio::test]
async fn an_organization_is_found_by_id_or_name_and_never_by_a_looser_name() {
    let (world, report) = world_after_a_run().await;
    let flow = &world.flow;
    assert_eq!(
        flow.find_organization("3").await.unwrap().id,
        OrganizationId(3)
    );
    assert_eq!(
        flow.find_organization("CRANE LOGISTICS").await.unwrap().id,
        OrganizationId(3)
    );
    // "Crane" is not "Crane Logistics": a lookup never guesses.
    assert!(matches!(
        flow.find_organization("Crane").await,
        Err(ItGlueError::Lookup(LookupError::NotFound { .. }))
    ));
    // The matched organization is found in the report by name, without asking IT Glue.
    let matched = flow
        .find_matched_organization(&report, "acme dental gmbh")
        .await
        .unwrap();
    assert_eq!(matched.organization.id, OrganizationId(1));
    // An organization IT Glue has but no group is matched to is no matched organization.
    assert!(matches!(
        flow.find_matched_organization(&report, "Former Client Holdings")
            .await,
        Err(ItGlueError::Lookup(LookupError::NotFound {
            subject: Subject::MatchedOrganization,
            ..
        }))
    ));
}

#[tokio::test]
async fn unicode_names_match_in_every_script_and_duplicates_name_their_candidates() {
    let (rmm, _) = standard();
    let organizations = vec![
        Organization {
            id: OrganizationId(7),
            name: "Zürich Büro AG".into(),
        },
        Organization {
            id: OrganizationId(8),
            name: "Ångström Labs".into(),
        },
        Organization {
            id: OrganizationId(9),
            name: "ÅNGSTRÖM LABS".into(),
        },
    ];
    let world = World::connected(rmm, MemoryItGlue::new(organizations, Vec::new())).await;
    let found = world
        .flow
        .find_organization("ZÜRICH BÜRO AG")
        .await
        .unwrap();
    assert_eq!(found.id, OrganizationId(7));
    match world.flow.find_organization("ångström labs").await {
        Err(ItGlueError::Lookup(LookupError::Ambiguous { candidates, .. })) => assert_eq!(
            candidates,
            vec![
                Candidate::new("Ångström Labs", "8"),
                Candidate::new("ÅNGSTRÖM LABS", "9")
            ]
        ),
        other => panic!("expected an ambiguous reference, got {other:?}"),
    }
    let message = world
        .flow
        .find_organization("ångström labs")
        .await
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("\"Ångström Labs\" (8)") && message.contains("\"ÅNGSTRÖM LABS\" (9)"),
        "{message}"
    );
}

#[tokio::test]
async fn a_configuration_is_found_by_id_name_or_hostname_else_the_closest_are_named() {
    let (world, report) = world_after_a_run().await;
    let device = DeviceUid::new("a-name");
    let find = |reference: &'static str| {
        let (flow, report, device) = (&world.flow, &report, &device);
        async move {
            flow.find_configuration(&admin(), report, device, reference)
                .await
        }
    };
    assert_eq!(find("104").await.unwrap(), ConfigurationId(104));
    assert_eq!(find("RECEPTION-PC").await.unwrap(), ConfigurationId(103));
    match find("ASSET").await {
        Err(ItGlueError::Lookup(LookupError::NotFound {
            subject: Subject::Configuration,
            closest,
            ..
        })) => assert!(
            closest
                .unwrap_or_default()
                .iter()
                .any(|c| c.name.starts_with("ASSET")),
            "closest names an ASSET configuration"
        ),
        other => panic!("expected no configuration named ASSET, got {other:?}"),
    }
}

#[tokio::test]
async fn two_configurations_of_one_name_are_ambiguous() {
    let (rmm, docs) = standard();
    docs.add_configuration(configuration(105, 1, "Reception-PC", None, None));
    let world = World::connected(rmm, docs).await;
    let report = world.run().await;
    let error = world
        .flow
        .find_configuration(&admin(), &report, &DeviceUid::new("a-name"), "reception-pc")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, ItGlueError::Lookup(LookupError::Ambiguous { candidates, .. }) if candidates.len() == 2),
        "{error:?}"
    );
}
