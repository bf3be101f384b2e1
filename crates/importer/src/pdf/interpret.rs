//! Runs a page's content stream far enough to know where each piece of text
//! lands: the graphics and text state, the text operators, and Form
//! XObjects. Everything that only paints is ignored.

use super::content::Operations;
use super::document::Document;
use super::font::{Font, Glyph};
use super::layout::Run;
use super::object::{Dict, Object};
use super::{Result, damaged};
use std::collections::HashMap;
use std::rc::Rc;

/// How deeply Form XObjects may nest.
const MAX_FORM_DEPTH: usize = 12;
/// How many operators and glyphs one document may take, in all: enough for
/// thousands of dense pages, and a stop for files built to loop.
const MAX_WORK: u64 = 30_000_000;
/// How deep `q` may nest before further saves are only counted.
const MAX_SAVED_STATES: usize = 256;
/// A kerning in a `TJ` array below this (in thousandths of an em) is a word gap.
const TJ_WORD_GAP: f64 = -200.0;

/// The resources a content stream draws with, looked up once.
#[derive(Default)]
pub(super) struct Scope {
    fonts: Dict,
    xobjects: Dict,
}

impl Scope {
    /// The fonts and XObjects of a `/Resources` dictionary.
    pub(super) fn new(doc: &Document<'_>, resources: Option<&Object>) -> Result<Self> {
        let resolved;
        let resources = match resources {
            Some(Object::Dict(direct)) => direct,
            other => {
                resolved = doc.dict(other)?;
                match &resolved {
                    Some(dict) => dict,
                    None => return Ok(Self::default()),
                }
            }
        };
        Ok(Self {
            fonts: doc
                .dict(resources.get(b"Font".as_slice()))?
                .unwrap_or_default(),
            xobjects: doc
                .dict(resources.get(b"XObject".as_slice()))?
                .unwrap_or_default(),
        })
    }
}

/// A Form XObject, read once however often it is drawn.
struct Form {
    content: Vec<u8>,
    matrix: Option<Matrix>,
    /// Its own resources; `None` to draw with its parent's.
    scope: Option<Scope>,
}

/// An affine transform `[a b c d e f]`, PDF's row-vector convention.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Matrix([f64; 6]);

impl Matrix {
    pub(super) const IDENTITY: Self = Self([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// The matrix given by the last six operands.
    fn from_operands(args: &[Object]) -> Option<Self> {
        let args = args.get(args.len().checked_sub(6)?..)?;
        let mut m = [0.0; 6];
        for (value, arg) in m.iter_mut().zip(args) {
            *value = arg.as_f64()?;
        }
        Some(Self(m))
    }

    fn translate(x: f64, y: f64) -> Self {
        Self([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// The page's rotation, so that positions are as the reader sees them.
    pub(super) fn rotation(degrees: i64) -> Self {
        match degrees.rem_euclid(360) {
            90 => Self([0.0, -1.0, 1.0, 0.0, 0.0, 0.0]),
            180 => Self([-1.0, 0.0, 0.0, -1.0, 0.0, 0.0]),
            270 => Self([0.0, 1.0, -1.0, 0.0, 0.0, 0.0]),
            _ => Self::IDENTITY,
        }
    }

    /// `self` applied first, then `then`.
    fn then(&self, then: &Self) -> Self {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = then.0;
        Self([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (x * a + y * c + e, x * b + y * d + f)
    }
}

/// The parts of the graphics state that place text.
#[derive(Clone)]
struct GraphicsState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    horizontal_scale: f64,
    leading: f64,
    rise: f64,
}

/// The state while one content stream runs.
struct State {
    gs: GraphicsState,
    saved: Vec<GraphicsState>,
    /// `q`s beyond [`MAX_SAVED_STATES`], whose `Q`s restore nothing.
    unsaved: usize,
    text_matrix: Matrix,
    line_matrix: Matrix,
}

/// Turns content streams into positioned runs of text.
pub(super) struct Interpreter<'d, 'a> {
    doc: &'d Document<'a>,
    fonts: HashMap<u32, Rc<Font>>,
    forms: HashMap<u32, Option<Rc<Form>>>,
    fallback: Rc<Font>,
    work_left: u64,
    /// Glyphs shown in fonts that do not say what text they are.
    pub(super) unreadable_glyphs: usize,
    runs: Vec<Run>,
}

impl<'d, 'a> Interpreter<'d, 'a> {
    pub(super) fn new(doc: &'d Document<'a>) -> Self {
        Self {
            doc,
            fonts: HashMap::new(),
            forms: HashMap::new(),
            fallback: Rc::new(Font::fallback()),
            work_left: MAX_WORK,
            unreadable_glyphs: 0,
            runs: Vec::new(),
        }
    }

    /// The runs of text a page's content draws.
    pub(super) fn page(&mut self, content: &[u8], scope: &Scope, rotate: i64) -> Result<Vec<Run>> {
        let gs = GraphicsState {
            ctm: Matrix::rotation(rotate),
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        let mut state = State {
            gs,
            saved: Vec::new(),
            unsaved: 0,
            text_matrix: Matrix::IDENTITY,
            line_matrix: Matrix::IDENTITY,
        };
        self.run(content, scope, &mut state, &mut Vec::new())?;
        Ok(std::mem::take(&mut self.runs))
    }

    fn run(
        &mut self,
        content: &[u8],
        scope: &Scope,
        st: &mut State,
        forms: &mut Vec<u32>,
    ) -> Result<()> {
        let mut fonts: HashMap<Vec<u8>, Rc<Font>> = HashMap::new();
        let mut ops = Operations::new(content);
        while let Some((op, args)) = ops.next_op() {
            self.spend(1)?;
            // Operands are taken from the end, so stray ones before them do no harm.
            let args = &args[args.len().saturating_sub(6)..];
            let from_end = |i: usize| args.len().checked_sub(i).and_then(|at| args.get(at));
            let num = |i: usize| from_end(i).and_then(Object::as_f64);
            let last_num = || num(1);
            match op {
                b"q" => {
                    if st.saved.len() < MAX_SAVED_STATES {
                        st.saved.push(st.gs.clone());
                    } else {
                        st.unsaved += 1;
                    }
                }
                b"Q" => {
                    if st.unsaved > 0 {
                        st.unsaved -= 1;
                    } else if let Some(gs) = st.saved.pop() {
                        st.gs = gs;
                    }
                }
                b"cm" => {
                    if let Some(m) = Matrix::from_operands(args) {
                        st.gs.ctm = m.then(&st.gs.ctm);
                    }
                }
                b"BT" => {
                    st.text_matrix = Matrix::IDENTITY;
                    st.line_matrix = Matrix::IDENTITY;
                }
                b"Tf" => {
                    if let Some(Object::Name(name)) = from_end(2) {
                        st.gs.font = Some(self.font(scope, name, &mut fonts));
                    }
                    if let Some(size) = num(1) {
                        st.gs.size = size;
                    }
                }
                b"Tc" => st.gs.char_spacing = last_num().unwrap_or(0.0),
                b"Tw" => st.gs.word_spacing = last_num().unwrap_or(0.0),
                b"Tz" => st.gs.horizontal_scale = last_num().unwrap_or(100.0) / 100.0,
                b"TL" => st.gs.leading = last_num().unwrap_or(0.0),
                b"Ts" => st.gs.rise = last_num().unwrap_or(0.0),
                b"Td" | b"TD" => {
                    let (Some(x), Some(y)) = (num(2), num(1)) else {
                        continue;
                    };
                    if op == b"TD" {
                        st.gs.leading = -y;
                    }
                    next_line(st, x, y);
                }
                b"Tm" => {
                    if let Some(m) = Matrix::from_operands(args) {
                        st.text_matrix = m;
                        st.line_matrix = m;
                    }
                }
                b"T*" => next_line(st, 0.0, -st.gs.leading),
                b"Tj" => self.show(st, args.last().map(std::slice::from_ref).unwrap_or(&[]))?,
                b"TJ" => {
                    if let Some(Object::Array(parts)) = args.last() {
                        self.show(st, parts)?;
                    }
                }
                b"'" => {
                    next_line(st, 0.0, -st.gs.leading);
                    self.show(st, args.last().map(std::slice::from_ref).unwrap_or(&[]))?;
                }
                b"\"" => {
                    st.gs.word_spacing = num(3).unwrap_or(st.gs.word_spacing);
                    st.gs.char_spacing = num(2).unwrap_or(st.gs.char_spacing);
                    next_line(st, 0.0, -st.gs.leading);
                    self.show(st, args.last().map(std::slice::from_ref).unwrap_or(&[]))?;
                }
                b"Do" => {
                    if let Some(Object::Name(name)) = args.last() {
                        let name = name.clone();
                        self.form(scope, &name, st, forms)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn spend(&mut self, units: u64) -> Result<()> {
        self.work_left = self.work_left.checked_sub(units).ok_or_else(|| {
            damaged("the PDF is too complex to read: it draws more than the importer handles")
        })?;
        Ok(())
    }

    /// The font a `Tf` names.
    fn font(
        &mut self,
        scope: &Scope,
        name: &[u8],
        local: &mut HashMap<Vec<u8>, Rc<Font>>,
    ) -> Rc<Font> {
        if let Some(font) = local.get(name) {
            return Rc::clone(font);
        }
        let font = match scope.fonts.get(name) {
            Some(&Object::Ref(num)) => match self.fonts.get(&num) {
                Some(font) => Rc::clone(font),
                None => {
                    let font = self.load_font(&Object::Ref(num));
                    self.fonts.insert(num, Rc::clone(&font));
                    font
                }
            },
            Some(direct) => self.load_font(direct),
            None => Rc::clone(&self.fallback),
        };
        local.insert(name.to_vec(), Rc::clone(&font));
        font
    }

    fn load_font(&self, object: &Object) -> Rc<Font> {
        match self.doc.dict(Some(object)) {
            Ok(Some(dict)) => Rc::new(Font::load(self.doc, &dict)),
            _ => Rc::clone(&self.fallback),
        }
    }

    /// Runs the Form XObject `name`; images and missing forms are skipped.
    fn form(
        &mut self,
        scope: &Scope,
        name: &[u8],
        st: &mut State,
        forms: &mut Vec<u32>,
    ) -> Result<()> {
        let Some(&Object::Ref(num)) = scope.xobjects.get(name) else {
            return Ok(());
        };
        if forms.contains(&num) || forms.len() >= MAX_FORM_DEPTH {
            return Ok(());
        }
        let form = match self.forms.get(&num) {
            Some(cached) => cached.clone(),
            None => {
                let loaded = self.load_form(num)?;
                self.forms.insert(num, loaded.clone());
                loaded
            }
        };
        let Some(form) = form else { return Ok(()) };
        let saved = st.gs.clone();
        let (saved_text, saved_line) = (st.text_matrix, st.line_matrix);
        if let Some(m) = form.matrix {
            st.gs.ctm = m.then(&st.gs.ctm);
        }
        let outer_saved = std::mem::take(&mut st.saved);
        let outer_unsaved = std::mem::take(&mut st.unsaved);
        forms.push(num);
        let result = self.run(
            &form.content,
            form.scope.as_ref().unwrap_or(scope),
            st,
            forms,
        );
        forms.pop();
        st.saved = outer_saved;
        st.unsaved = outer_unsaved;
        st.gs = saved;
        st.text_matrix = saved_text;
        st.line_matrix = saved_line;
        result
    }

    fn load_form(&self, num: u32) -> Result<Option<Rc<Form>>> {
        let stored = self.doc.get(num)?;
        let is_form = stored
            .object
            .as_dict()
            .and_then(|d| d.get(b"Subtype".as_slice()))
            .and_then(Object::as_name)
            == Some(b"Form");
        if !is_form {
            return Ok(None);
        }
        let Some((dict, content)) = self.doc.decoded_stream(&Object::Ref(num))? else {
            return Ok(None);
        };
        let scope = match dict.get(b"Resources".as_slice()) {
            Some(resources) => Some(Scope::new(self.doc, Some(resources))?),
            None => None,
        };
        let matrix = dict
            .get(b"Matrix".as_slice())
            .and_then(Object::as_array)
            .and_then(Matrix::from_operands);
        Ok(Some(Rc::new(Form {
            content,
            matrix,
            scope,
        })))
    }

    /// Shows a string, or the parts of a `TJ` array, as one run of text.
    fn show(&mut self, st: &mut State, parts: &[Object]) -> Result<()> {
        let font = st
            .gs
            .font
            .clone()
            .unwrap_or_else(|| Rc::clone(&self.fallback));
        let gs = &st.gs;
        let (size, scale) = (gs.size, gs.horizontal_scale);
        let mut text = String::new();
        let mut advance = 0.0;
        let mut first: Option<f64> = None;
        let mut last = 0.0;
        let mut glyphs = 0u64;
        let mut unreadable = 0usize;
        for part in parts {
            match part {
                Object::Str(bytes) => font.glyphs(bytes, |g: Glyph<'_>| {
                    glyphs += 1;
                    if g.text.is_empty() {
                        unreadable += 1;
                    } else {
                        first.get_or_insert(advance);
                        text.push_str(g.text);
                    }
                    let spacing = gs.char_spacing + if g.is_space { gs.word_spacing } else { 0.0 };
                    advance += (g.width * size + spacing) * scale;
                    last = advance;
                }),
                other => {
                    let Some(kern) = other.as_f64() else { continue };
                    if kern < TJ_WORD_GAP && !text.is_empty() && !text.ends_with(' ') {
                        text.push(' ');
                    }
                    advance -= kern / 1000.0 * size * scale;
                }
            }
        }
        self.spend(glyphs)?;
        self.unreadable_glyphs += unreadable;
        let device = st.text_matrix.then(&gs.ctm);
        st.text_matrix = Matrix::translate(advance, 0.0).then(&st.text_matrix);
        let Some(first) = first else { return Ok(()) };
        let (x0, y) = device.apply(first, gs.rise);
        let (x1, _) = device.apply(last, gs.rise);
        let [_, _, c, d, _, _] = device.0;
        let em = (size * font.em * c.hypot(d)).abs();
        self.runs.push(Run::new(x0, x1, y, em, text));
        Ok(())
    }
}

/// `Td`: the next line starts at an offset from the start of this one.
fn next_line(st: &mut State, x: f64, y: f64) {
    st.line_matrix = Matrix::translate(x, y).then(&st.line_matrix);
    st.text_matrix = st.line_matrix;
}
