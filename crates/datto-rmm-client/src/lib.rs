//! A typed async client for the Datto RMM REST API v2.
