//! Diagnostics: every problem found in a process file, with a stable code, a location and a hint.
//!
//! Parsing, validation and the engine's soundness check all report through [`Diagnostic`], so
//! that `zaak check` renders them one way (miette for people, JSON for editors and scripts).

use crate::codes::Code;
use crate::model::Span;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A note at a second place in the source, e.g. "the parallel split is here".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// One problem in a process source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code from the registry, documented on its page under `docs/errors/`.
    pub code: Code,
    /// The code's severity, kept here so that callers need not look it up.
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// Short text shown at the span.
    pub label: String,
    /// What to do about it.
    pub help: Option<String>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A diagnostic with the severity its code has in the registry.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            span,
            label: String::new(),
            help: None,
            related: Vec::new(),
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.related.push(Related {
            span,
            message: message.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// A source file as read, to turn byte offsets into lines and columns and to render diagnostics.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, col + 1)
    }

    /// `path:line:col` of a span's start, as compilers print it.
    pub fn location(&self, span: Span) -> String {
        let (line, col) = self.line_col(span.start);
        format!("{}:{}:{}", self.path, line, col)
    }

    /// The diagnostic as JSON for editors and scripts: the same facts the rendered form shows.
    pub fn to_json(&self, d: &Diagnostic) -> serde_json::Value {
        let (line, column) = self.line_col(d.span.start);
        let (end_line, end_column) = self.line_col(d.span.end);
        serde_json::json!({
            "path": self.path,
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
            "code": d.code,
            "severity": d.severity,
            "message": d.message,
            "label": d.label,
            "help": d.help,
            "related": d.related.iter().map(|r| {
                let (line, column) = self.line_col(r.span.start);
                serde_json::json!({"line": line, "column": column, "message": r.message})
            }).collect::<Vec<_>>(),
        })
    }

    /// The diagnostic rendered like a compiler's, with the source line and a caret, without
    /// colour: stable enough for golden tests.
    pub fn render(&self, d: &Diagnostic) -> String {
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_width(100);
        let mut out = String::new();
        let report = Rendered {
            file: self,
            diag: d,
        };
        // Writing into a String cannot fail.
        let _ = handler.render_report(&mut out, &report);
        format!("{}\n{}", self.location(d.span), out)
    }
}

/// Adapter that lets miette render one of our diagnostics against its source file.
struct Rendered<'a> {
    file: &'a SourceFile,
    diag: &'a Diagnostic,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diag, f)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.file.text)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let clamp = |s: Span| {
            let start = s.start.min(self.file.text.len());
            let end = s.end.clamp(start, self.file.text.len());
            (start, end - start)
        };
        let main = {
            let (o, l) = clamp(self.diag.span);
            let label = (!self.diag.label.is_empty()).then(|| self.diag.label.clone());
            miette::LabeledSpan::new_primary_with_span(label, (o, l))
        };
        let related = self.diag.related.iter().map(move |r| {
            let (o, l) = clamp(r.span);
            miette::LabeledSpan::new_with_span(Some(r.message.clone()), (o, l))
        });
        Some(Box::new(std::iter::once(main).chain(related)))
    }
}
