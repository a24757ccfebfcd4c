//! Network API against the fake: child companies, the tree walk, the move, endpoints and
//! inventory items.

mod common;

use futures::TryStreamExt;
use gravityzone_client::{
    CompaniesFilter, CompanyId, CompanyType, EndpointsQuery, Error, InventoryQuery, MachineType,
    RpcErrorCode,
};

#[tokio::test]
async fn companies_list_is_one_level_and_filters_partners() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let root = fake.root_id();
    let partner = fake.add_partner(&root, "Sub Partner").unwrap();
    fake.add_customer(&root, "Contoso").unwrap();
    fake.add_customer(&partner, "Deep Customer").unwrap();
    let all = client
        .list_companies(None, CompaniesFilter::default())
        .await
        .unwrap();
    let names: Vec<_> = all.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Sub Partner", "Contoso"]);
    let partners = client
        .list_companies(
            Some(&CompanyId::new(&root)),
            CompaniesFilter::of_type(CompanyType::Partner),
        )
        .await
        .unwrap();
    assert_eq!(partners.len(), 1);
    assert_eq!(partners[0].id, partner);
}

#[tokio::test]
async fn the_tree_walk_covers_three_levels_with_parents_and_depths() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let root = fake.root_id();
    let level1 = fake.add_partner(&root, "Reseller A").unwrap();
    let level2 = fake.add_partner(&level1, "Reseller A1").unwrap();
    let leaf3 = fake.add_customer(&level2, "Dental Group").unwrap();
    let leaf1 = fake.add_customer(&root, "Contoso").unwrap();
    fake.add_customer(&level1, "Fabrikam").unwrap();
    // Another MSP's tree is invisible.
    let foreign = fake.add_foreign_partner("Other MSP").unwrap();
    fake.add_customer(&foreign, "Hidden Customer").unwrap();

    let tree = client
        .get_company_tree(Some(&CompanyId::new(&root)))
        .await
        .unwrap();
    let find = |id: &str| tree.iter().find(|n| n.id == id).unwrap();
    assert_eq!(tree.len(), 5, "{tree:#?}");
    assert_eq!(find(&leaf3).depth, 3);
    assert_eq!(find(&leaf3).parent_id, Some(CompanyId::new(&level2)));
    assert_eq!(find(&level2).company_type, CompanyType::Partner);
    assert_eq!(find(&leaf1).company_type, CompanyType::Customer);
    assert_eq!(find(&leaf1).depth, 1);
    assert!(tree.iter().all(|n| n.name != "Hidden Customer"));
    // Two list calls per partner (root, level1, level2), none per customer.
    assert_eq!(fake.calls("getCompaniesList"), 6);
}

#[tokio::test]
async fn the_tree_walk_from_the_own_company_leaves_the_parent_unnamed() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let id = fake.add_customer(&fake.root_id(), "Contoso").unwrap();
    let tree = client.get_company_tree(None).await.unwrap();
    assert_eq!(tree.len(), 1);
    assert_eq!(
        (tree[0].id.as_str(), tree[0].parent_id.as_ref()),
        (id.as_str(), None)
    );
}

#[tokio::test]
async fn a_moved_company_is_found_under_its_new_partner() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let root = CompanyId::new(fake.root_id());
    let reseller = fake.add_partner(root.as_str(), "Reseller").unwrap();
    let company = CompanyId::new(fake.add_customer(&reseller, "Contoso").unwrap());
    client.move_company(&company, &root).await.unwrap();
    assert_eq!(
        fake.company(company.as_str()).unwrap().parent_id.as_deref(),
        Some(root.as_str())
    );
    let details = client.get_company(Some(&company)).await.unwrap();
    assert_eq!(details.parent_company_id, Some(root));
    assert_eq!(fake.calls("moveCompanyOrCompanyFolder"), 1);
}

#[tokio::test]
async fn a_partner_cannot_move_under_its_own_child() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let parent = fake.add_partner(&fake.root_id(), "Parent").unwrap();
    let child = CompanyId::new(fake.add_partner(&parent, "Child").unwrap());
    let error = client
        .move_company(&CompanyId::new(parent), &child)
        .await
        .unwrap_err();
    assert_eq!(
        error.rpc().map(|e| e.code),
        Some(RpcErrorCode::InvalidParams),
        "{error:?}"
    );
    assert!(!error.may_have_been_sent());
}

/// A customer with `n` endpoints named `PC-01`….
fn customer_with_endpoints(fake: &msp_fakes::gravityzone::GravityZoneFake, n: usize) -> CompanyId {
    let id = fake.add_customer(&fake.root_id(), "Contoso").unwrap();
    for i in 1..=n {
        let mac = format!("00155d0000{i:02x}");
        fake.add_endpoint(&id, &format!("PC-{i:02}"), 1, &[&mac])
            .unwrap();
    }
    CompanyId::new(id)
}

#[tokio::test]
async fn endpoints_stream_across_pages_on_v1_1() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let company = customer_with_endpoints(&fake, 5);
    let mut query = EndpointsQuery::under(&company);
    query.per_page = 2;
    let endpoints = client.list_endpoints(query).collect_all().await.unwrap();
    let names: Vec<_> = endpoints.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["PC-01", "PC-02", "PC-03", "PC-04", "PC-05"]);
    assert_eq!(endpoints[0].machine_type, Some(MachineType::Computer));
    assert_eq!(endpoints[0].macs, ["00155d000001"]);
    assert_eq!(fake.log().count("POST", "/api/v1.1/jsonrpc/network"), 3);
}

#[tokio::test]
async fn paging_stops_on_has_more_records_when_later_pages_omit_the_count() {
    let fake = common::fake().await;
    fake.set_v1_1_paging_quirk(true);
    let client = common::client(&fake);
    let company = customer_with_endpoints(&fake, 4);
    let mut query = EndpointsQuery::under(&company);
    query.per_page = 2;
    let endpoints = client.list_endpoints(query).collect_all().await.unwrap();
    assert_eq!(endpoints.len(), 4);
    assert_eq!(fake.calls("getEndpointsList"), 2);
}

#[tokio::test]
async fn managed_only_and_name_filters_are_applied() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let company = customer_with_endpoints(&fake, 3);
    let unmanaged = &fake.endpoints_of(company.as_str())[1].id;
    fake.set_endpoint_managed(unmanaged, false);
    let mut query = EndpointsQuery::under(&company);
    query.is_managed = Some(true);
    let managed: Vec<_> = client
        .list_endpoints(query)
        .map_ok(|e| e.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(managed, ["PC-01", "PC-03"]);
    let mut query = EndpointsQuery::under(&company);
    query.filters.name = Some("*03".into());
    let named: Vec<_> = client
        .list_endpoints(query)
        .map_ok(|e| e.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(named, ["PC-03"]);
}

#[tokio::test]
async fn inventory_items_list_child_companies_and_endpoints() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let company = customer_with_endpoints(&fake, 2);
    let root_items = client
        .list_inventory_items(InventoryQuery::default())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(root_items.len(), 1);
    assert_eq!(root_items[0].id, company.as_str());
    assert!(!root_items[0].is_endpoint());
    let items = client
        .list_inventory_items(InventoryQuery::under(&company))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    assert!(
        items
            .iter()
            .all(|i| i.is_endpoint() && i.company_id.as_ref() == Some(&company))
    );
}

#[tokio::test]
async fn a_page_size_over_1000_is_refused_before_sending() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let mut query = EndpointsQuery::default();
    query.per_page = 1001;
    let error = client
        .list_endpoints(query)
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    assert_eq!(fake.calls("getEndpointsList"), 0);
}

#[tokio::test(start_paused = true)]
async fn reads_ride_out_injected_503s() {
    use msp_fakes::harness::{FaultKind, FaultPlan};
    let fake = common::fake().await;
    let root = fake.root_id();
    for i in 0..3 {
        fake.add_customer(&root, &format!("Customer {i}")).unwrap();
    }
    let client = common::paced_client(&fake.access_url(), &fake.api_key());
    fake.faults()
        .set(FaultPlan::new(11, 0.3, vec![FaultKind::Status503]));
    for _ in 0..10 {
        let list = client
            .list_companies(None, CompaniesFilter::default())
            .await
            .unwrap();
        assert_eq!(list.len(), 3);
    }
    assert!(fake.faults().injected() > 0, "the plan injected nothing");
}
