//! A typed async client for the IT Glue JSON:API.
