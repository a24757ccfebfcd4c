//! Authorization in the IT Glue flow: a manager granted one organization cannot see or act
//! on another through any listing or action — even when the application hands him the full
//! (administrator's) report. Each refused action, applied or dry run, leaves the store and IT
//! Glue exactly as they were. Runs against the fakes through the real clients.

use std::sync::Arc;

use msp_fakes::msp::MspSize;
use msp_reliability::itglue_world::{ItGlueWorld, admin};
use sync_core::itglue::{
    ConfigurationId, ConfigurationOutcome, DeviceUid, GroupId, OrganizationId, OrganizationOutcome,
};
use sync_engine::itglue::{Actor, ItGlueError, Mode, NoProgress, SyncReport};
use sync_store::{MemoryStore, Version};

const SIZE: MspSize = MspSize::Custom {
    sites: 12,
    devices: 120,
};

/// A synced account with two matched organizations: `a` granted to the manager, `b` not.
struct Scene {
    world: ItGlueWorld,
    report: SyncReport,
    a: OrganizationId,
    b: OrganizationId,
    group_a: GroupId,
    group_b: GroupId,
    device_a: DeviceUid,
    device_b: DeviceUid,
    config_a: ConfigurationId,
    config_b: ConfigurationId,
    manager: Actor,
}

fn matched_organization(outcome: &OrganizationOutcome) -> Option<OrganizationId> {
    match outcome {
        OrganizationOutcome::Stored { organization, .. }
        | OrganizationOutcome::Matched { organization, .. } => Some(*organization),
        _ => None,
    }
}

async fn scene() -> Scene {
    let world = ItGlueWorld::start(42, SIZE, Arc::new(MemoryStore::new())).await;
    world.full_sync().await.unwrap();
    let report = world.flow.run(&NoProgress).await.unwrap();
    let with_devices: Vec<_> = report
        .organizations
        .iter()
        .filter(|o| {
            !o.devices.is_empty()
                && !world
                    .itglue
                    .configurations_of(o.organization.id.0)
                    .is_empty()
        })
        .collect();
    assert!(
        with_devices.len() >= 2,
        "the scene needs two matched organizations"
    );
    let (view_a, view_b) = (with_devices[0], with_devices[1]);
    let (a, b) = (view_a.organization.id, view_b.organization.id);
    let group_of = |org: OrganizationId| {
        report
            .groups
            .iter()
            .find(|g| matched_organization(&g.outcome) == Some(org))
            .map(|g| g.group.id.clone())
            .unwrap()
    };
    let config_of =
        |org: OrganizationId| ConfigurationId(world.itglue.configurations_of(org.0)[0].id);
    Scene {
        group_a: group_of(a),
        group_b: group_of(b),
        device_a: view_a.devices[0].device.uid.clone(),
        device_b: view_b.devices[0].device.uid.clone(),
        config_a: config_of(a),
        config_b: config_of(b),
        manager: Actor::manager("manager-of-a", [a]),
        a,
        b,
        report,
        world,
    }
}

impl Scene {
    async fn version(&self) -> Version {
        self.world
            .store
            .state(&self.world.tenant)
            .await
            .unwrap()
            .version
    }

    /// Runs `action` in both modes; each must be refused as out of scope (or as an
    /// administrator's action) and change nothing.
    async fn refused<F, Fut>(&self, what: &str, action: F)
    where
        F: Fn(Mode) -> Fut,
        Fut: std::future::Future<Output = Result<sync_engine::itglue::ActionOutcome, ItGlueError>>,
    {
        for mode in [Mode::DryRun, Mode::Apply] {
            let version = self.version().await;
            let writes = self.world.itglue.log().writes();
            let result = action(mode).await;
            assert!(
                matches!(
                    result,
                    Err(ItGlueError::OutOfScope { .. } | ItGlueError::AdministratorOnly { .. })
                ),
                "{what} ({mode:?}) was not refused as out of scope: {result:?}"
            );
            assert_eq!(
                self.version().await,
                version,
                "{what} ({mode:?}) changed the store"
            );
            assert_eq!(
                self.world.itglue.log().writes(),
                writes,
                "{what} ({mode:?}) wrote to IT Glue"
            );
        }
    }
}

#[tokio::test]
async fn a_manager_s_report_shows_only_his_organization_and_its_groups_devices_and_suggestions() {
    let s = scene().await;
    let visible = s.report.visible_to(&s.manager);
    assert!(!visible.organizations.is_empty());
    for organization in &visible.organizations {
        assert_eq!(organization.organization.id, s.a);
        for device in &organization.devices {
            if let ConfigurationOutcome::Suggested { suggestions } = &device.outcome {
                assert!(suggestions.iter().all(|x| {
                    s.world
                        .itglue
                        .configuration(x.candidate.0)
                        .is_some_and(|c| c.organization_id == s.a.0)
                }));
            }
        }
    }
    assert!(visible.groups.iter().any(|g| g.group.id == s.group_a));
    for group in &visible.groups {
        match &group.outcome {
            OrganizationOutcome::Suggested { suggestions } => {
                assert!(suggestions.iter().all(|x| x.candidate == s.a), "{group:?}")
            }
            outcome => assert_eq!(matched_organization(outcome), Some(s.a), "{group:?}"),
        }
    }
    let text = format!("{visible:?}");
    let b_name = s.world.itglue.organization(s.b.0).unwrap().name;
    assert!(
        !text.contains(&b_name),
        "the other organization's name shows in the manager's report"
    );
}

#[tokio::test]
async fn searching_organizations_finds_only_the_granted_ones() {
    let s = scene().await;
    let b_name = s.world.itglue.organization(s.b.0).unwrap().name;
    let found = s
        .world
        .flow
        .search_organizations(&s.manager, &b_name, 50)
        .await
        .unwrap();
    assert!(found.iter().all(|x| x.candidate.id == s.a), "{found:?}");
    let everything = s
        .world
        .flow
        .search_organizations(&s.manager, "", 1000)
        .await
        .unwrap();
    assert!(
        everything.iter().all(|x| x.candidate.id == s.a),
        "{everything:?}"
    );
}

#[tokio::test]
async fn a_manager_cannot_match_or_rematch_groups_across_his_grant() {
    let s = scene().await;
    let (m, r) = (&s.manager, &s.report);
    let flow = &s.world.flow;
    s.refused("match his group to another organization", |mode| {
        flow.match_organization(m, r, &s.group_a, s.b, mode)
    })
    .await;
    s.refused("match another's group to his organization", |mode| {
        flow.change_organization_match(m, r, &s.group_b, s.a, mode)
    })
    .await;
    s.refused("move his group to another organization", |mode| {
        flow.change_organization_match(m, r, &s.group_a, s.b, mode)
    })
    .await;
    s.refused("create an organization", |mode| {
        flow.create_organization(m, r, &s.group_b, Some("Escape Ltd"), true, mode)
    })
    .await;
}

#[tokio::test]
async fn a_manager_cannot_ignore_or_unignore_another_s_group() {
    let s = scene().await;
    let flow = &s.world.flow;
    s.refused("ignore another's group", |mode| {
        flow.ignore_group(&s.manager, &s.report, &s.group_b, mode)
    })
    .await;
    flow.ignore_group(&admin(), &s.report, &s.group_b, Mode::Apply)
        .await
        .unwrap();
    s.refused("unignore another's group", |mode| {
        flow.unignore_group(&s.manager, &s.report, &s.group_b, mode)
    })
    .await;
}

#[tokio::test]
async fn a_manager_cannot_match_or_create_configurations_outside_his_grant() {
    let s = scene().await;
    let (m, r) = (&s.manager, &s.report);
    let flow = &s.world.flow;
    let both = [s.device_a.clone(), s.device_b.clone()];
    s.refused("match another's device", |mode| {
        flow.match_configuration(m, r, &s.device_b, s.config_b, mode)
    })
    .await;
    s.refused("match another's device to his configuration", |mode| {
        flow.match_configuration(m, r, &s.device_b, s.config_a, mode)
    })
    .await;
    s.refused("create another's configurations", |mode| {
        flow.create_configurations(m, r, std::slice::from_ref(&s.device_b), mode)
    })
    .await;
    s.refused(
        "create configurations for his device and another's",
        |mode| flow.create_configurations(m, r, &both, mode),
    )
    .await;
}

#[tokio::test]
async fn a_manager_cannot_match_his_device_to_another_s_configuration() {
    let s = scene().await;
    let result = s
        .world
        .flow
        .match_configuration(&s.manager, &s.report, &s.device_a, s.config_b, Mode::Apply)
        .await;
    assert!(result.is_err(), "{result:?}");
    let state = s.world.store.state(&s.world.tenant).await.unwrap();
    assert!(
        state
            .itglue
            .device_matches
            .iter()
            .all(|d| d.configuration != s.config_b || d.device != s.device_a)
    );
}

#[tokio::test]
async fn a_manager_cannot_accept_a_suggestion_outside_his_grant() {
    let s = scene().await;
    let (group, candidate) = s
        .report
        .groups
        .iter()
        .find_map(|g| match &g.outcome {
            OrganizationOutcome::Suggested { suggestions } => suggestions
                .first()
                .map(|x| (g.group.id.clone(), x.candidate)),
            _ => None,
        })
        .expect("the planted account has groups with suggestions");
    let granted = if candidate == s.a { s.b } else { s.a };
    let manager = Actor::manager("manager", [granted]);
    let flow = &s.world.flow;
    s.refused(
        "accept an organization suggestion outside his grant",
        |mode| flow.accept_organization_suggestion(&manager, &s.report, &group, candidate, mode),
    )
    .await;
    let device_suggestion = s.report.organizations.iter().find_map(|o| {
        o.devices.iter().find_map(|d| match &d.outcome {
            ConfigurationOutcome::Suggested { suggestions } => suggestions
                .first()
                .map(|x| (o.organization.id, d.device.uid.clone(), x.candidate)),
            _ => None,
        })
    });
    if let Some((organization, device, configuration)) = device_suggestion {
        let other = if organization == s.a { s.b } else { s.a };
        let manager = Actor::manager("manager", [other]);
        s.refused(
            "accept a configuration suggestion outside his grant",
            |mode| {
                flow.accept_configuration_suggestion(
                    &manager,
                    &s.report,
                    &device,
                    configuration,
                    mode,
                )
            },
        )
        .await;
    }
}
