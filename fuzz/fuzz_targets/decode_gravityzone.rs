//! Any bytes, decoded as every GravityZone model the client reads: no panic.
#![no_main]

use gravityzone_client::*;
use libfuzzer_sys::fuzz_target;

fn decode<T: serde::de::DeserializeOwned + std::fmt::Debug>(bytes: &[u8]) {
    if let Ok(value) = msp_transport::decode_json::<T>(bytes) {
        let _ = format!("{value:?}");
    }
}

fuzz_target!(|bytes: &[u8]| {
    decode::<ApiKeyDetails>(bytes);
    decode::<CompanyDetails>(bytes);
    decode::<Vec<CompanySummary>>(bytes);
    decode::<LicenseInfo>(bytes);
    decode::<Page<Endpoint>>(bytes);
    decode::<InventoryItem>(bytes);
    decode::<Page<PackageSummary>>(bytes);
    decode::<PackageDetails>(bytes);
    decode::<Vec<InstallationLinks>>(bytes);
});
