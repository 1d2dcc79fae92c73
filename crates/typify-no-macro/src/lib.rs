//! typify 0.8.0's public API, re-exported item for item from typify-impl
//! 0.8.0 as typify's own `lib.rs` does, without `import_types!`. See
//! `Cargo.toml` for why the workspace patches typify with it.

pub use typify_impl::accept_as_ident;
pub use typify_impl::CrateVers;
pub use typify_impl::Error;
pub use typify_impl::MapType;
pub use typify_impl::Type;
pub use typify_impl::TypeDetails;
pub use typify_impl::TypeEnum;
pub use typify_impl::TypeEnumVariant;
pub use typify_impl::TypeId;
pub use typify_impl::TypeNewtype;
pub use typify_impl::TypeSpace;
pub use typify_impl::TypeSpaceImpl;
pub use typify_impl::TypeSpacePatch;
pub use typify_impl::TypeSpaceSettings;
pub use typify_impl::TypeStruct;
pub use typify_impl::TypeStructPropInfo;
pub use typify_impl::UnknownPolicy;
