//! Any bytes, decoded as every IT Glue JSON:API document the client reads: no panic.
#![no_main]

use itglue_client::*;
use libfuzzer_sys::fuzz_target;

fn decode<T: serde::de::DeserializeOwned + std::fmt::Debug>(bytes: &[u8]) {
    if let Ok(value) = msp_transport::decode_json::<T>(bytes) {
        let _ = format!("{value:?}");
    }
}

fuzz_target!(|bytes: &[u8]| {
    decode::<Document<Vec<Organization>>>(bytes);
    decode::<Document<Organization>>(bytes);
    decode::<Document<Vec<ConfigurationInterface>>>(bytes);
    decode::<Document<Vec<ConfigurationType>>>(bytes);
    decode::<Document<OneOrMany<Configuration>>>(bytes);
    if let Ok(document) = msp_transport::decode_json::<Document<Vec<Configuration>>>(bytes) {
        let _ = document.included_of::<ConfigurationInterfaceAttributes>();
        for configuration in &document.data {
            let _ = configuration.related("configuration-interfaces");
        }
    }
});
