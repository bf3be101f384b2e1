//! SVG charts drawn on the server: each has a text alternative, and the page
//! that shows one also shows its data as a table.

pub(crate) mod bars;
pub(crate) mod timeline;
pub(crate) mod trend;
