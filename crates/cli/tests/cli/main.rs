//! The `lodestar` binary, run as a user would run it, each test in a fresh
//! data directory (and, when `LODESTAR_TEST_DATABASE_URL` names a PostgreSQL
//! server, also against a fresh schema there). One test binary, one module
//! per area; the shared set-up is in `harness`.

mod document_import;
mod execution;
mod harness;
mod plan_code;
mod serve;
