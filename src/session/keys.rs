//! Storage key names. One prefix per app client, so two apps (or two
//! clients of one pool) on an origin never read each other's state.

use crate::prelude::*;

/// The storage keys of one app client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    prefix: String,
}

impl Keys {
    /// Keys for app client `client_id`: `cognito-wasm.<clientId>.…`.
    pub fn new(client_id: &str) -> Keys {
        let mut prefix = String::from("cognito-wasm.");
        prefix.push_str(client_id);
        prefix.push('.');
        Keys { prefix }
    }

    /// The common prefix, `cognito-wasm.<clientId>.`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    fn key(&self, suffix: &str) -> String {
        let mut k = self.prefix.clone();
        k.push_str(suffix);
        k
    }

    /// The signed-in session ([`super::SessionRecord`]).
    pub fn session(&self) -> String {
        self.key("session")
    }

    /// The remembered device of `username` ([`super::DeviceRecord`]): device
    /// keys outlive sign-out, as Cognito's remembered devices do.
    pub fn device(&self, username: &str) -> String {
        let mut k = self.key("device.");
        k.push_str(username);
        k
    }

    /// A pending hosted-UI transaction, by its `state`.
    pub fn transaction(&self, state: &str) -> String {
        let mut k = self.key("oauth.");
        k.push_str(state);
        k
    }

    /// The prefix of all pending hosted-UI transactions.
    pub fn transaction_prefix(&self) -> String {
        self.key("oauth.")
    }
}

#[cfg(test)]
mod tests {
    use super::Keys;

    #[test]
    fn keys_are_namespaced_by_client() {
        let k = Keys::new("abc");
        assert_eq!(k.session(), "cognito-wasm.abc.session");
        assert_eq!(k.device("alice"), "cognito-wasm.abc.device.alice");
        assert_eq!(k.transaction("s1"), "cognito-wasm.abc.oauth.s1");
        assert!(k.transaction("s1").starts_with(&k.transaction_prefix()));
        assert_ne!(Keys::new("other").session(), k.session());
    }
}
