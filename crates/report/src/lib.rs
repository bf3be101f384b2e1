//! The annual report card in print: pure functions from the report card model
//! (`lodestar_domain::report_card::ReportCard`) to documents. The services
//! layer builds the model; these only lay it out, so all formats agree.

pub mod csv;
pub mod markdown;
pub mod pdf;
pub mod testing;
