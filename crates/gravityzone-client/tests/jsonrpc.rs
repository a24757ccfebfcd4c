//! The JSON-RPC layer against scripted wiremock answers: the shapes a fake built from the
//! same notes would not produce (a 401 naming an area, a collision without telling words,
//! malformed results, retries).

use std::time::Duration;

use gravityzone_client::{
    ApiArea, ApiVersion, ClientOptions, CompanyId, CompanyType, CompanyUpdate, Error,
    GravityZoneClient, NewCompany, RpcErrorCode,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> GravityZoneClient {
    GravityZoneClient::builder()
        .access_url(format!("{}/api", server.uri()))
        .api_key("k")
        .options(ClientOptions::new().timeout(None))
        .build()
        .unwrap()
}

fn result(value: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"id": 1, "jsonrpc": "2.0", "result": value}))
}

fn rpc_error(status: u16, code: i64, message: &str, details: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "id": 1, "jsonrpc": "2.0",
        "error": {"code": code, "message": message, "data": {"details": details}}
    }))
}

async fn answer(server: &MockServer, rpc_method: &str, template: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"method": rpc_method})))
        .respond_with(template)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_null_result_is_success_for_methods_returning_nothing() {
    let server = MockServer::start().await;
    answer(&server, "updateCompanyDetails", result(Value::Null)).await;
    client(&server)
        .update_company(&CompanyId::new("c1"), &CompanyUpdate::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn an_answer_without_result_or_error_is_unexpected() {
    let server = MockServer::start().await;
    answer(
        &server,
        "updateCompanyDetails",
        ResponseTemplate::new(200).set_body_json(json!({"id": 1, "jsonrpc": "2.0"})),
    )
    .await;
    let error = client(&server)
        .update_company(&CompanyId::new("c1"), &CompanyUpdate::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::UnexpectedResult { .. }), "{error:?}");
}

#[tokio::test]
async fn an_error_with_http_200_keeps_its_code_and_details() {
    let server = MockServer::start().await;
    answer(
        &server,
        "deleteCompany",
        rpc_error(200, 4050001, "Domain error", "Not movable."),
    )
    .await;
    let error = client(&server)
        .delete_company(&CompanyId::new("c1"))
        .await
        .unwrap_err();
    let rpc = error.rpc().unwrap();
    assert_eq!(rpc.code, RpcErrorCode::Unknown(4050001));
    assert_eq!(rpc.reason(), "Not movable.");
    assert!(error.to_string().contains("deleteCompany"), "{error}");
}

#[tokio::test]
async fn a_collision_without_telling_words_is_confirmed_by_an_exact_lookup() {
    let server = MockServer::start().await;
    answer(
        &server,
        "createCompany",
        rpc_error(
            200,
            -32602,
            "Invalid params",
            "Invalid value for 'name' parameter.",
        ),
    )
    .await;
    answer(
        &server,
        "findCompaniesByName",
        result(json!([{"id": "x", "name": "Contoso"}])),
    )
    .await;
    let error = client(&server)
        .create_company(&NewCompany::new(CompanyType::Customer, "Contoso"))
        .await
        .unwrap_err();
    assert!(error.is_company_name_taken(), "{error:?}");
}

#[tokio::test]
async fn an_invalid_params_error_without_a_same_named_company_stays_an_rpc_error() {
    let server = MockServer::start().await;
    answer(
        &server,
        "createCompany",
        rpc_error(
            200,
            -32602,
            "Invalid params",
            "Invalid value for 'parentId' parameter.",
        ),
    )
    .await;
    answer(
        &server,
        "findCompaniesByName",
        result(json!([{"id": "x", "name": "Contoso Ltd"}])),
    )
    .await;
    let error = client(&server)
        .create_company(&NewCompany::new(CompanyType::Customer, "Contoso"))
        .await
        .unwrap_err();
    assert_eq!(
        error.rpc().map(|e| e.code),
        Some(RpcErrorCode::InvalidParams),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_401_that_says_the_api_is_not_enabled_names_the_area() {
    let server = MockServer::start().await;
    answer(
        &server,
        "getCompaniesList",
        rpc_error(
            401,
            -32000,
            "Server error",
            "Access to the Network API is not allowed for this API key.",
        ),
    )
    .await;
    let error = client(&server)
        .list_companies(None, Default::default())
        .await
        .unwrap_err();
    assert_eq!(
        error.api_not_enabled(),
        Some(&ApiArea::Network),
        "{error:?}"
    );
    assert!(!error.is_unauthorized());
}

#[tokio::test]
async fn a_403_is_api_not_enabled_naming_the_area() {
    let server = MockServer::start().await;
    answer(&server, "getLicenseInfo", ResponseTemplate::new(403)).await;
    let error = client(&server)
        .get_license_info(None, false)
        .await
        .unwrap_err();
    assert_eq!(
        error.api_not_enabled(),
        Some(&ApiArea::Licensing),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_401_without_a_body_is_unauthorized() {
    let server = MockServer::start().await;
    answer(&server, "getApiKeyDetails", ResponseTemplate::new(401)).await;
    assert!(
        client(&server)
            .get_api_key_details()
            .await
            .unwrap_err()
            .is_unauthorized()
    );
}

#[tokio::test]
async fn a_result_of_the_wrong_shape_names_the_path() {
    let server = MockServer::start().await;
    answer(
        &server,
        "getCompanyDetails",
        result(json!({"id": 5, "name": "x"})),
    )
    .await;
    let error = client(&server).get_company(None).await.unwrap_err();
    match error {
        Error::Transport(msp_transport::Error::Decode { path, .. }) => {
            assert_eq!(path, "result.id")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_decode_error() {
    let server = MockServer::start().await;
    answer(
        &server,
        "getApiKeyDetails",
        ResponseTemplate::new(200).set_body_string("{\"garbled\": [tru"),
    )
    .await;
    let error = client(&server).get_api_key_details().await.unwrap_err();
    assert!(
        matches!(error, Error::Transport(msp_transport::Error::Decode { .. })),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_429_is_waited_out_and_retried_even_for_a_create() {
    let server = MockServer::start().await;
    Mock::given(body_partial_json(json!({"method": "createCompany"})))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "7"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer(&server, "createCompany", result(json!("new-id"))).await;
    let started = tokio::time::Instant::now();
    let id = client(&server)
        .create_company(&NewCompany::new(CompanyType::Customer, "Contoso"))
        .await
        .unwrap();
    assert_eq!(id, "new-id");
    assert!(started.elapsed() >= Duration::from_secs(7));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_create_answered_500_is_sent_once_and_may_have_acted() {
    let server = MockServer::start().await;
    answer(&server, "createCompany", ResponseTemplate::new(500)).await;
    let error = client(&server)
        .create_company(&NewCompany::new(CompanyType::Customer, "Contoso"))
        .await
        .unwrap_err();
    assert!(error.may_have_been_sent(), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_read_answered_503_is_retried() {
    let server = MockServer::start().await;
    Mock::given(body_partial_json(json!({"method": "getCompanyDetails"})))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer(
        &server,
        "getCompanyDetails",
        result(json!({"id": "c", "name": "n"})),
    )
    .await;
    let details = client(&server).get_company(None).await.unwrap();
    assert_eq!(details.id, "c");
}

#[tokio::test]
async fn a_too_many_requests_error_with_http_200_is_a_rate_limit() {
    let server = MockServer::start().await;
    answer(
        &server,
        "getPackagesList",
        rpc_error(200, -32003, "Too many requests", "slow down"),
    )
    .await;
    let error = client(&server)
        .list_packages(None)
        .collect_all()
        .await
        .unwrap_err();
    assert!(error.is_transient(), "{error:?}");
    assert!(matches!(
        error,
        Error::Transport(msp_transport::Error::RateLimited { .. })
    ));
}

#[tokio::test]
async fn requests_are_named_params_with_increasing_ids_on_the_right_url() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1.0/jsonrpc/network"))
        .respond_with(result(json!(null)))
        .mount(&server)
        .await;
    let client = client(&server);
    let params = json!({"companyId": "c1"});
    for _ in 0..2 {
        client
            .call_raw(
                ApiArea::Network,
                ApiVersion::V1_0,
                "getRootContainers",
                &params,
                true,
            )
            .await
            .unwrap();
    }
    let bodies: Vec<Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.body_json().unwrap())
        .collect();
    assert_eq!(bodies[0]["params"], params);
    assert_eq!(bodies[0]["jsonrpc"], "2.0");
    assert!(bodies[1]["id"].as_u64() > bodies[0]["id"].as_u64());
}
