//! The three clients' errors answer the same questions in the same words
//! ([`msp_transport::ClientError`]), so code that handles any vendor's failure is written once.

use std::time::Duration;

use msp_transport::ClientError;

/// What a caller generic over the vendor decides from an error.
fn verdict(error: &impl ClientError) -> (bool, bool, bool, bool, Option<Duration>, bool) {
    (
        error.is_not_found(),
        error.is_unauthorized(),
        error.is_rate_limited(),
        error.is_transient(),
        error.retry_after(),
        error.may_have_been_sent(),
    )
}

fn rate_limited() -> msp_transport::Error {
    msp_transport::Error::RateLimited {
        retry_after: Some(Duration::from_secs(12)),
    }
}

fn not_found() -> msp_transport::Error {
    msp_transport::Error::NotFound {
        message: "no such record".into(),
    }
}

fn unauthorized() -> msp_transport::Error {
    msp_transport::Error::Unauthorized {
        message: "bad key".into(),
    }
}

#[test]
fn every_client_reads_a_rate_limit_a_404_and_a_401_alike() {
    for (transport, expected) in [
        (
            rate_limited(),
            (
                false,
                false,
                true,
                true,
                Some(Duration::from_secs(12)),
                false,
            ),
        ),
        (not_found(), (true, false, false, false, None, true)),
        (unauthorized(), (false, true, false, false, None, true)),
    ] {
        let datto = datto_rmm_client::Error::Transport(transport.clone());
        let gravityzone = gravityzone_client::Error::Transport(transport.clone());
        let itglue = itglue_client::Error::Transport(transport.clone());
        assert_eq!(verdict(&transport), expected, "{transport}");
        assert_eq!(verdict(&datto), expected, "Datto RMM: {datto}");
        assert_eq!(
            verdict(&gravityzone),
            expected,
            "GravityZone: {gravityzone}"
        );
        assert_eq!(verdict(&itglue), expected, "IT Glue: {itglue}");
    }
}
