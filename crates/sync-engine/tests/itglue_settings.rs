//! Changing some of a tenant's IT Glue settings in one engine call, and the settings in words.

mod itglue_support;

use sync_core::itglue::GroupingMode;
use sync_engine::itglue::{ItGlueError, SettingsChange, parse_alias, settings_lines};
use sync_store::NameAlias;

use itglue_support::{World, admin, standard};

#[tokio::test]
async fn a_change_adds_and_removes_and_leaves_the_rest_as_it_was() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    let before = world.flow.settings().await.unwrap();

    let mut change = SettingsChange::default();
    change.grouping = Some(GroupingMode::AutotaskCompany);
    change.add_placeholder_serials = vec!["0123456789".into(), "0123456789".into()];
    change.add_aliases = vec![parse_alias(" Acme = Acme Holdings ").unwrap()];
    let saved = world.flow.change_settings(&admin(), &change).await.unwrap();
    assert_eq!(
        saved,
        world.flow.settings().await.unwrap(),
        "saved as returned"
    );
    assert_eq!(saved.grouping, GroupingMode::AutotaskCompany);
    assert_eq!(saved.identifiers.placeholder_serials, ["0123456789"]);
    assert_eq!(
        saved.aliases,
        [NameAlias {
            name: "Acme".into(),
            same_as: "Acme Holdings".into()
        }]
    );
    assert_eq!(saved.create_cap, before.create_cap);

    let mut change = SettingsChange::default();
    change.remove_placeholder_serials = vec!["0123456789".into()];
    change.create_cap = Some(7);
    let saved = world.flow.change_settings(&admin(), &change).await.unwrap();
    assert!(saved.identifiers.placeholder_serials.is_empty());
    assert_eq!(saved.create_cap, 7);
    assert_eq!(saved.grouping, GroupingMode::AutotaskCompany, "kept");

    let lines = settings_lines(&saved);
    assert_eq!(lines[0], "groups:               by Autotask company");
    assert_eq!(lines[3], "aliases:              Acme = Acme Holdings");
    assert_eq!(lines[4], "create cap:           7 per action");
}

#[tokio::test]
async fn a_change_out_of_bounds_or_by_a_manager_saves_nothing() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    let before = world.flow.settings().await.unwrap();
    let mut change = SettingsChange::default();
    change.sync_interval_minutes = Some(5);
    let error = world
        .flow
        .change_settings(&admin(), &change)
        .await
        .unwrap_err();
    assert!(
        matches!(error, ItGlueError::InvalidSetting { .. }),
        "{error}"
    );
    let manager = sync_engine::itglue::Actor::manager("bob", []);
    change.sync_interval_minutes = Some(60);
    let error = world
        .flow
        .change_settings(&manager, &change)
        .await
        .unwrap_err();
    assert!(
        matches!(error, ItGlueError::AdministratorOnly { .. }),
        "{error}"
    );
    assert_eq!(world.flow.settings().await.unwrap(), before);
    assert!(parse_alias("no equals sign").is_err());
    assert!(parse_alias(" = Acme").is_err());
}
