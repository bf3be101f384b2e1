//! The in-memory world the Typst compiler runs in: one generated source file,
//! the fonts embedded in the binary (typst-assets), no file system, no
//! network and no packages, so a report compiles the same anywhere.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The fonts and the standard library, parsed once per process: both are the
/// same for every report, and parsing the fonts is the costly part.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// A world holding one main source file and nothing else.
pub(crate) struct ReportWorld {
    main: Source,
    today: Option<Datetime>,
}

impl ReportWorld {
    /// A world whose only file is `markup`; `today` answers Typst's
    /// `datetime.today()` so the output does not depend on the clock.
    pub(crate) fn new(markup: String, today: Option<Datetime>) -> Self {
        Self {
            main: Source::detached(markup),
            today,
        }
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

/// The error for any file but the main one: reports read no other files.
fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.get().vpath().get_without_slash().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_fonts_are_found() {
        assert!(!SHARED.fonts.is_empty(), "typst-assets should embed fonts");
        let world = ReportWorld::new("Hello".into(), None);
        assert!(world.font(0).is_some());
        assert!(
            world
                .book()
                .families()
                .any(|(name, _)| name.eq_ignore_ascii_case("Libertinus Serif"))
        );
    }
}
