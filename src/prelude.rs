//! What std's prelude gives, from `alloc`, for the `no_std` wasm build
//! (src/lib.rs); in native builds these are the same items.

pub use alloc::borrow::ToOwned;
pub use alloc::boxed::Box;
pub use alloc::string::{String, ToString};
pub use alloc::vec;
pub use alloc::vec::Vec;
