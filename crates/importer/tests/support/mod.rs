pub mod make_docx;
pub mod make_pdf;
pub mod outline;
