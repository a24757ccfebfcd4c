//! Hostile input to every client's public response models: arbitrary bytes, arbitrary JSON
//! values, and structurally valid documents (the vendors' samples and the fakes' answers) with
//! random nulls, missing fields, wrong types, unknown enum strings, hostile and huge strings
//! and huge lists. Decoding either succeeds or returns an error — it never panics — and
//! whatever decodes can be printed with `Debug`.
//!
//! The envelopes that are not public (Datto's page, GravityZone's JSON-RPC answer, IT Glue's
//! error array) are reached through HTTP in `hostile_http.rs`.

mod support;

use msp_reliability::hostile::{arbitrary_json, mutated};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::Value;
use support::{Vendor, documents_of};

/// Decodes `bytes` as `T` both ways the clients do (serde_json and the path-aware
/// `msp_transport::decode_json`) and prints what decoded.
fn decode<T: DeserializeOwned + std::fmt::Debug>(bytes: &[u8]) {
    if let Ok(value) = serde_json::from_slice::<T>(bytes) {
        let _ = format!("{value:?}");
    }
    match msp_transport::decode_json::<T>(bytes) {
        Ok(value) => {
            let _ = format!("{value:?}");
        }
        Err(error) => {
            let _ = format!("{error} {error:?}");
        }
    }
}

fn datto(bytes: &[u8]) {
    use datto_rmm_client::models::*;
    decode::<Site>(bytes);
    decode::<Vec<Site>>(bytes);
    decode::<Device>(bytes);
    decode::<Vec<Device>>(bytes);
    decode::<DeviceAudit>(bytes);
    decode::<DeviceNetworkInterfaces>(bytes);
    decode::<Vec<DeviceNetworkInterfaces>>(bytes);
    decode::<Account>(bytes);
    decode::<Variable>(bytes);
    decode::<Vec<Variable>>(bytes);
    decode::<PaginationData>(bytes);
    decode::<Alert>(bytes);
    decode::<SystemStatus>(bytes);
    decode::<RequestRate>(bytes);
    decode::<PaginationConfiguration>(bytes);
    decode::<Timestamp>(bytes);
}

fn gravityzone(bytes: &[u8]) {
    use gravityzone_client::*;
    decode::<ApiKeyDetails>(bytes);
    decode::<CompanyDetails>(bytes);
    decode::<CompanySummary>(bytes);
    decode::<Vec<CompanySummary>>(bytes);
    decode::<LicenseInfo>(bytes);
    decode::<Endpoint>(bytes);
    decode::<InventoryItem>(bytes);
    decode::<PackageSummary>(bytes);
    decode::<Vec<PackageSummary>>(bytes);
    decode::<PackageDetails>(bytes);
    decode::<InstallationLinks>(bytes);
    decode::<Vec<InstallationLinks>>(bytes);
    decode::<Page<CompanySummary>>(bytes);
    decode::<Page<PackageSummary>>(bytes);
    decode::<Page<Endpoint>>(bytes);
}

fn itglue(bytes: &[u8]) {
    use itglue_client::*;
    decode::<Document<Vec<Organization>>>(bytes);
    decode::<Document<Organization>>(bytes);
    decode::<Document<Vec<Configuration>>>(bytes);
    decode::<Document<Configuration>>(bytes);
    decode::<Document<Vec<ConfigurationInterface>>>(bytes);
    decode::<Document<Vec<ConfigurationType>>>(bytes);
    decode::<Document<Vec<ConfigurationStatus>>>(bytes);
    decode::<Document<Vec<OrganizationStatus>>>(bytes);
    decode::<Document<Vec<OrganizationType>>>(bytes);
    decode::<Document<OneOrMany<Configuration>>>(bytes);
    decode::<ListMeta>(bytes);
    decode::<Links>(bytes);
    if let Ok(document) = serde_json::from_slice::<Document<Vec<Configuration>>>(bytes) {
        let _ = document.included_of::<ConfigurationInterfaceAttributes>();
        for configuration in &document.data {
            let _ = configuration.related("configuration-interfaces");
        }
    }
}

fn all(bytes: &[u8]) {
    datto(bytes);
    gravityzone(bytes);
    itglue(bytes);
}

fn seed_strategy(vendor: Vendor) -> BoxedStrategy<Value> {
    let documents = documents_of(vendor);
    assert!(
        documents.len() >= 5,
        "{vendor:?}: {} seeds",
        documents.len()
    );
    proptest::sample::select(documents)
        .prop_flat_map(mutated)
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic_a_decoder(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        all(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics_a_decoder(value in arbitrary_json()) {
        all(&serde_json::to_vec(&value).unwrap());
    }

    #[test]
    fn mutated_datto_documents_never_panic_a_decoder(document in seed_strategy(Vendor::Datto)) {
        datto(&serde_json::to_vec(&document).unwrap());
    }

    #[test]
    fn mutated_gravityzone_documents_never_panic_a_decoder(document in seed_strategy(Vendor::GravityZone)) {
        gravityzone(&serde_json::to_vec(&document).unwrap());
    }

    #[test]
    fn mutated_itglue_documents_never_panic_a_decoder(document in seed_strategy(Vendor::ItGlue)) {
        itglue(&serde_json::to_vec(&document).unwrap());
    }
}

#[test]
fn truncated_documents_never_panic_a_decoder() {
    for seed in support::seeds() {
        let bytes = serde_json::to_vec(&seed.document).unwrap();
        // a hundred cuts per document, every one of them in the first hundred bytes
        let step = (bytes.len() / 100).max(1);
        for end in (0..bytes.len().min(100)).chain((0..bytes.len()).step_by(step)) {
            all(&bytes[..end]);
        }
    }
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    for depth in [200, 10_000, 100_000] {
        let bytes = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        all(bytes.as_bytes());
        let bytes = format!("{}1{}", "{\"data\":".repeat(depth), "}".repeat(depth));
        all(bytes.as_bytes());
    }
}
