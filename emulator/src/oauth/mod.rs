//! The hosted UI (placeholder while being written).

use axum::Router;
use std::sync::Arc;

use crate::store::AppState;

/// Hosted-UI routes.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
}
