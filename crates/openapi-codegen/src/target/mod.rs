//! Layer 2: the target model — what progenitor 0.15 and typify 0.8 make of
//! a spec: the Rust names they choose ([`naming`]), how they sort responses
//! ([`responses`]), which request body they send and how ([`bodies`]), what
//! it makes a type of ([`types`]), how it sends parameters ([`parameters`]),
//! the cargo features of the generated crates ([`features`]), and the
//! settings every generated file is made with ([`settings`]). Depends only
//! on [`crate::openapi`].

pub mod bodies;
pub mod features;
pub mod naming;
pub mod parameters;
pub mod responses;
pub mod settings;
pub mod types;
