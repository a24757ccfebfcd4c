//! Any bytes, decoded as every Datto RMM model the client reads: no panic.
#![no_main]

use datto_rmm_client::models::*;
use libfuzzer_sys::fuzz_target;

fn decode<T: serde::de::DeserializeOwned + std::fmt::Debug>(bytes: &[u8]) {
    if let Ok(value) = msp_transport::decode_json::<T>(bytes) {
        let _ = format!("{value:?}");
    }
}

fuzz_target!(|bytes: &[u8]| {
    decode::<Vec<Site>>(bytes);
    decode::<Vec<Device>>(bytes);
    decode::<DeviceAudit>(bytes);
    decode::<Vec<DeviceNetworkInterfaces>>(bytes);
    decode::<Account>(bytes);
    decode::<Vec<Variable>>(bytes);
    decode::<PaginationData>(bytes);
    decode::<Alert>(bytes);
    decode::<RequestRate>(bytes);
    decode::<Timestamp>(bytes);
});
