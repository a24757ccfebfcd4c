//! A typed async client for the Bitdefender GravityZone partner JSON-RPC API.
