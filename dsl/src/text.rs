//! The text syntax (`.zaak`), parsed with pest (`zaak.pest`).
//!
//! The header (`process KEY version N {`) is read first; without it there is no model. Then the
//! items and steps of the process are read one at a time. When one does not parse, the error is
//! reported and reading goes on at the next line that starts an item or a step at the same
//! level, so that one mistake does not hide the others. Steps with a body (`task`, `auto`,
//! `choice`, `inclusive`, `wait`) are read line by line: a broken line is reported and skipped,
//! and the step is kept. The model is returned together with every diagnostic, also when some
//! items had to be skipped.
//!
//! Recovery follows the designer's layout where the braces cannot be trusted: an item of the
//! process written inside a step's body, indented as a line of it (`term 8 weeks` in an auto
//! step), is reported once and read as if it stood at the level of the process; after a step
//! whose head does not read (an unclosed string may have swallowed its `{`), reading goes on
//! after the lines indented as its body. The names that unreadable items were going to define
//! are handed to validation, which does not report them as unknown.
//!
//! Names are not reserved words: a step may be called `end`. Where a name may be followed by an
//! optional keyword (`end NAME result R`), the grammar looks ahead so that a definition on the
//! next line (`result r "label" keep`) is not taken for part of the step.
//!
//! Every span is the exact byte range of what it names: a [`Name`]'s span covers the
//! identifier, an [`Expr`]'s the trimmed expression, a step's the whole step.
//!
//! Diagnostic codes given here:
//!
//! - `Z0001` syntax error (what was expected, what was found, how the item is written);
//! - `Z0010` a duration that does not read (`8 weken`);
//! - `Z0011` a number too large (version, priority, a duration's amount);
//! - `Z0012` an unknown confidentiality level;
//! - `Z0013` a single-valued item given twice (two `title`s, two `then`s in a task);
//! - `Z0014` a required item left out (`title`, `start`, a task's `team`, an `auto`'s `then`);
//! - `Z0015` an unknown escape in a string (only `\"`, `\\`, `\n`, `\r` and `\t` exist);
//! - `Z0016` too many errors: reading stopped;
//! - `Z0314` a term counted in working days but written in another unit.

use crate::model::{check_term, read_duration, *};
use crate::suggest::{did_you_mean, unknown_word};
use crate::{keywords, Code, Diagnostic, Loaded};
use pest::iterators::Pair;
use pest::Parser as _;
use std::collections::HashMap;

#[derive(pest_derive::Parser)]
#[grammar = "zaak.pest"]
struct ZaakParser;

/// Reading stops after this many errors: a file that is mostly not Zaak gains nothing from more,
/// and the bound keeps recovery linear in the size of the input.
const MAX_ERRORS: usize = 100;

/// Reads a process in the text syntax. Never panics, whatever the input.
pub(crate) fn parse(source: &str) -> Loaded {
    read(source).0
}

/// Reads a process in the text syntax, with the names that items or steps which could not be
/// read were going to define: validation does not report them as unknown where they are used.
pub(crate) fn read(source: &str) -> (Loaded, Vec<String>) {
    let mut reader = Reader {
        src: source,
        base: 0,
        diags: Vec::new(),
        eof_reported: false,
        quiet_missing: false,
        swallowed: None,
        skipped_names: Vec::new(),
    };
    let model = reader.process();
    (
        Loaded {
            model,
            diagnostics: reader.diags,
        },
        reader.skipped_names,
    )
}

/// How each item and step is written, for the help of a syntax error inside it.
fn template(keyword: &str) -> Option<&'static str> {
    Some(match keyword {
        "process" => "a process starts with `process KEY version N {` and ends with `}`",
        "title" => "write it as `title \"text\"`",
        "description" => "write it as `description \"text\"`",
        "legal_basis" => "write it as `legal_basis \"Awb 4:13\"`",
        "initiator" => "write it as `initiator aanvragen`",
        "term" => "write it as `term 8 weeks calendar` or `term 5 working days working_days`",
        "service_norm" => "write it as `service_norm 6 weeks`",
        "suspension" => "write it as `suspension allowed`",
        "extension" => "write it as `extension 6 weeks`",
        "confidentiality" => "write it as `confidentiality LEVEL`, where LEVEL is one of openbaar, beperkt_openbaar, intern, zaakvertrouwelijk, vertrouwelijk, confidentieel, geheim, zeer_geheim",
        "on_deadline" => "write it as `on_deadline warning`, `on_deadline van_rechtswege RESULT` or `on_deadline dwangsom`",
        "start" => "write it as `start STEP`",
        "team" => "write it as `team NAME \"label\"`",
        "role" => "write it as `role NAME \"label\"`",
        "data" => "write it as `data NAME: TYPE required citizen \"label\"`, where TYPE is text, number, bool, date or choice [\"a\", \"b\"] and the rest is optional",
        "message" => "write it as `message NAME \"label\"`",
        "status" => "write it as `status NAME \"text for the citizen\" notify` (`notify` is optional)",
        "result" => "write it as `result NAME \"label\" keep` or `result NAME \"label\" destroy after 5 years`",
        "task" => "a task is written as `task NAME \"label\" { ... }` with the lines `team T`, `role R`, `due 5 working days`, `priority N`, `on_start status S`, `on_end status S`, `field NAME: TYPE`, `outcome NAME \"label\" -> STEP` and `then STEP`",
        "auto" => "an auto step is written as `auto NAME \"label\" { ... }` with the lines `status S`, `result R`, `letter L`, `notify N`, `set FIELD = EXPRESSION` and `then STEP`",
        "choice" => "a choice is written as `choice NAME \"label\" { when CONDITION -> STEP ... otherwise -> STEP }`",
        "inclusive" => "an inclusive split is written as `inclusive NAME \"label\" { when CONDITION -> STEP ... otherwise -> STEP }`",
        "parallel" => "write it as `parallel NAME \"label\" -> STEP, STEP`",
        "join" => "write it as `join NAME all -> STEP` or `join NAME some of SPLIT -> STEP`",
        "wait" => "a wait step is written as `wait NAME for MESSAGE { suspend \"reason\"  timeout 4 weeks -> STEP  then STEP }`",
        "timer" => "write it as `timer NAME after 2 weeks -> STEP` or `timer NAME until FIELD -> STEP`",
        "subcase" => "write it as `subcase NAME process KEY pass [FIELD, FIELD] wait -> STEP` (`pass` and `wait` are optional)",
        "end" => "write it as `end NAME \"label\" result RESULT status STATUS` (`result` and `status` are optional)",
        _ => return None,
    })
}

/// What a grammar rule is called in an error message.
fn describe(rule: &Rule) -> String {
    let text = match rule {
        Rule::name => "a name (lower case letters, digits and `_`)",
        Rule::number | Rule::signed | Rule::amount => "a whole number",
        Rule::string | Rule::string_inner => "a string in double quotes",
        Rule::duration | Rule::iso_duration | Rule::unit => {
            "a duration such as `8 weeks` or `5 working days`"
        }
        Rule::expr => "an expression",
        Rule::expr_string => "a string in double quotes",
        Rule::WHITESPACE | Rule::inline_ws => "a space",
        Rule::COMMENT => "a comment",
        Rule::ident_char => "a letter, digit or `_`",
        Rule::task_stmt => "a line of a task",
        Rule::auto_stmt => "a line of an auto step",
        Rule::choice_stmt => "a branch (`when` or `otherwise`)",
        Rule::wait_stmt => "a line of a wait step",
        Rule::arrow => "`->`",
        Rule::lbrace => "`{`",
        Rule::rbrace => "`}`",
        Rule::lbracket => "`[`",
        Rule::rbracket => "`]`",
        Rule::comma => "`,`",
        Rule::colon => "`:`",
        Rule::equals => "`=`",
        Rule::counting => "`calendar` or `working_days`",
        Rule::archive => "`keep` or `destroy`",
        Rule::flag_required => "`required`",
        Rule::flag_citizen => "`citizen`",
        Rule::flag_notify => "`notify`",
        Rule::flag_wait => "`wait`",
        Rule::join_all => "`all`",
        Rule::join_some => "`some`",
        Rule::deadline_simple => "`warning` or `dwangsom`",
        Rule::type_simple | Rule::data_type => {
            "a type (`text`, `number`, `bool`, `date` or `choice [...]`)"
        }
        Rule::type_choice => "`choice [...]`",
        Rule::field_decl => "a field (`NAME: TYPE`)",
        Rule::header => "`process KEY version N {`",
        Rule::item => "an item such as `title`, `team`, `data` or `status`, or a step such as `task`, `auto` or `choice`",
        Rule::step => "a step such as `task`, `auto`, `choice`, `parallel`, `join`, `wait`, `timer`, `subcase` or `end`",
        Rule::then_stmt => "`then`",
        Rule::task_head => "`task NAME {`",
        Rule::auto_head => "`auto NAME {`",
        Rule::choice_head => "`choice NAME {`",
        Rule::inclusive_head => "`inclusive NAME {`",
        Rule::wait_head => "`wait NAME for MESSAGE {`",
        Rule::task_line => return body_line("task", "a line of the task"),
        Rule::auto_line => return body_line("auto", "a line of the auto step"),
        Rule::choice_line => return body_line("choice", "a branch"),
        Rule::wait_line => return body_line("wait", "a line of the wait step"),
        Rule::task_team => "`team`",
        Rule::task_role => "`role`",
        Rule::task_due => "`due`",
        Rule::task_priority => "`priority`",
        Rule::task_on_start => "`on_start`",
        Rule::task_on_end => "`on_end`",
        Rule::task_field => "`field`",
        Rule::task_outcome => "`outcome`",
        Rule::action_status => "`status`",
        Rule::action_result => "`result`",
        Rule::action_letter => "`letter`",
        Rule::action_notify => "`notify`",
        Rule::action_set => "`set`",
        Rule::when_branch => "`when`",
        Rule::otherwise => "`otherwise`",
        Rule::wait_suspend => "`suspend`",
        Rule::wait_timeout => "`timeout`",
        Rule::timer_after | Rule::retention => "`after`",
        Rule::timer_until => "`until`",
        Rule::pass_list => "`pass [...]`",
        Rule::end_result | Rule::end_result_word => "`result`",
        Rule::end_status_word => "`status`",
        Rule::end_status => "`status`",
        Rule::van_rechtswege => "`van_rechtswege`",
        other => {
            let debug = format!("{other:?}");
            let word = debug
                .strip_prefix("k_")
                .or_else(|| debug.strip_suffix("_item"))
                .or_else(|| debug.strip_suffix("_step"))
                .unwrap_or(&debug);
            return format!("`{word}`");
        }
    };
    text.to_string()
}

/// What a line of a body may be, for "expected ..." messages.
fn body_line(step: &str, what: &str) -> String {
    format!(
        "`}}` or {what} ({})",
        keywords::listed(keywords::lines_of(step))
    )
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The word (or single character) at a byte offset, and its end.
fn token_at(src: &str, pos: usize) -> Option<(&str, usize)> {
    let rest = src.get(pos..)?;
    let first = rest.chars().next()?;
    let len = if is_ident_char(first) {
        rest.find(|c: char| !is_ident_char(c)).unwrap_or(rest.len())
    } else if rest.starts_with("->") {
        2
    } else {
        first.len_utf8()
    };
    Some((&rest[..len], pos + len))
}

/// Whether the string that starts with the quote at `pos` is closed on the same line.
fn string_closes(src: &str, pos: usize) -> bool {
    let mut chars = src.get(pos + 1..).unwrap_or("").chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => return true,
            '\n' => return false,
            _ => {}
        }
    }
    false
}

/// Skips whitespace and comments, as the grammar does between tokens.
fn skip_trivia(src: &str, mut pos: usize) -> usize {
    let bytes = src.as_bytes();
    while pos < bytes.len() {
        match bytes[pos] {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            0xEF if src[pos..].starts_with('\u{feff}') => pos += '\u{feff}'.len_utf8(),
            b'#' => {
                pos = src[pos..]
                    .find('\n')
                    .map(|i| pos + i + 1)
                    .unwrap_or(src.len())
            }
            _ => break,
        }
    }
    pos
}

/// How far the line holding `pos` is indented, in bytes of spaces and tabs.
fn indent_at(src: &str, pos: usize) -> usize {
    let line_start = src[..pos.min(src.len())].rfind('\n').map_or(0, |n| n + 1);
    let rest = &src[line_start..];
    rest.len() - rest.trim_start_matches([' ', '\t']).len()
}

/// The first word of the line that starts at `line_start`, after indentation.
fn first_word(src: &str, line_start: usize) -> (&str, usize) {
    let rest = &src[line_start..];
    let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let at = line_start + indent;
    let word_len = src[at..]
        .find(|c: char| !is_ident_char(c))
        .unwrap_or(src.len() - at);
    (&src[at..at + word_len], at)
}

/// Where to go on after an item or step that starts at `from` failed to parse: the next line
/// that starts an item or a step at the level of the process body, or the `}` that closes the
/// process. When braces do not balance, the next line that starts with a word only an item or a
/// step can start with. The result is always past `from`.
fn resume_point(src: &str, from: usize) -> usize {
    let bytes = src.as_bytes();
    let mut depth: i64 = 0;
    let mut in_string = false;
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' | b'\n' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'#' => {
                    i = src[i..].find('\n').map(|n| i + n).unwrap_or(src.len());
                    continue;
                }
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth < 0 {
                        return i;
                    }
                }
                _ => {}
            }
        }
        if b == b'\n' && depth == 0 {
            let (word, at) = first_word(src, i + 1);
            if keywords::TOP.contains(&word) {
                return at;
            }
        }
        i += 1;
    }
    // The braces did not balance: fall back on words that cannot start a line inside a step.
    let mut line_start = src[from..].find('\n').map(|n| from + n + 1);
    while let Some(start) = line_start {
        let (word, at) = first_word(src, start);
        if keywords::only_at_top(word) {
            return at;
        }
        line_start = src[start..].find('\n').map(|n| start + n + 1);
    }
    src.len()
}

/// Reads one source, collecting diagnostics. `base` is the offset of the slice being parsed, so
/// that spans point into the whole source.
struct Reader<'s> {
    src: &'s str,
    base: usize,
    diags: Vec<Diagnostic>,
    /// Whether the end of the file has already been reported as the end of an unclosed body.
    eof_reported: bool,
    /// Set while building a step whose body had a line skipped: what seems missing may be on
    /// that line, so it is not reported.
    quiet_missing: bool,
    /// A keyword at the start of a line that the item before it took as its last name, as in
    /// `parallel p ->` followed by `timer t ...`: names may be keywords.
    swallowed: Option<Span>,
    /// Names that items or steps which could not be read were going to define.
    skipped_names: Vec<String>,
}

/// A step kind with a body in braces, read line by line.
#[derive(Clone, Copy)]
struct Body {
    keyword: &'static str,
    noun: &'static str,
    head: Rule,
    line: Rule,
}

impl Body {
    /// The words a line of the body starts with.
    fn words(&self) -> &'static [&'static str] {
        keywords::lines_of(self.keyword)
    }
}

const BODIES: [Body; 5] = [
    Body {
        keyword: "task",
        noun: "task",
        head: Rule::task_head,
        line: Rule::task_line,
    },
    Body {
        keyword: "auto",
        noun: "auto step",
        head: Rule::auto_head,
        line: Rule::auto_line,
    },
    Body {
        keyword: "choice",
        noun: "choice",
        head: Rule::choice_head,
        line: Rule::choice_line,
    },
    Body {
        keyword: "inclusive",
        noun: "inclusive split",
        head: Rule::inclusive_head,
        line: Rule::choice_line,
    },
    Body {
        keyword: "wait",
        noun: "wait step",
        head: Rule::wait_head,
        line: Rule::wait_line,
    },
];

/// Where to go on after the head of a step with a body (`task NAME {`) failed to parse, when the
/// lines after it are indented as its body: after the `}` at the head's indentation that closes
/// it, or at the first line indented no deeper than the head. The braces cannot be trusted here:
/// the head may have failed on an unclosed string that swallowed its `{`.
fn resume_after_body(src: &str, start: usize) -> Option<usize> {
    let head_indent = indent_at(src, start);
    let mut line_start = src[start..].find('\n').map(|n| start + n + 1)?;
    let mut in_body = false;
    loop {
        let line_end = src[line_start..]
            .find('\n')
            .map_or(src.len(), |n| line_start + n);
        let line = &src[line_start..line_end];
        let text = line.trim_start_matches([' ', '\t']);
        if !text.trim().is_empty() && !text.starts_with('#') {
            let indent = line.len() - text.len();
            if indent <= head_indent {
                if !in_body {
                    return None;
                }
                let at = line_start + indent;
                return Some(if text.starts_with('}') { at + 1 } else { at });
            }
            in_body = true;
        }
        if line_end >= src.len() {
            return None;
        }
        line_start = line_end + 1;
    }
}

/// Where to go on after a line of a body failed to parse: the next line that starts with a word
/// of the body, with `}`, or with a word only an item or a step can start with.
fn resume_in_body(src: &str, from: usize, words: &[&str]) -> usize {
    let mut line_start = src[from..].find('\n').map(|n| from + n + 1);
    while let Some(start) = line_start {
        let (word, at) = first_word(src, start);
        if words.contains(&word) || keywords::only_at_top(word) || src[at..].starts_with('}') {
            return at;
        }
        line_start = src[start..].find('\n').map(|n| start + n + 1);
    }
    src.len()
}

/// Single-valued items seen so far, by keyword, with where they were first given.
#[derive(Default)]
struct Seen(HashMap<&'static str, Span>);

impl Reader<'_> {
    fn error_count(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    /// Where a pair stands in the whole source. pest lets a rule that ends in an optional part
    /// take the whitespace and comments before it, so the span ends at the rule's last token.
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let start = pair.as_span().start();
        let mut last = pair.clone();
        while last.as_rule() != Rule::string {
            match last.clone().into_inner().last() {
                Some(child) => last = child,
                None => break,
            }
        }
        let end = last.as_span().end().max(start);
        Span::new(self.base + start, self.base + end)
    }

    fn name(&self, pair: &Pair<Rule>) -> Name {
        Name::spanned(pair.as_str(), self.span(pair))
    }

    /// Whether a single-valued item is given for the first time; reports it when it is not.
    fn first(&mut self, seen: &mut Seen, what: &'static str, span: Span) -> bool {
        if let Some(&earlier) = seen.0.get(what) {
            self.diags.push(
                Diagnostic::new(Code::GivenTwice, span, format!("`{what}` is given twice"))
                    .with_label(format!("second `{what}`"))
                    .with_related(earlier, format!("first `{what}` here"))
                    .with_help(format!("`{what}` can be given once; remove one of them")),
            );
            false
        } else {
            seen.0.insert(what, span);
            true
        }
    }

    fn missing(&mut self, span: Span, message: String, help: &str) {
        if self.quiet_missing {
            return;
        }
        self.diags.push(
            Diagnostic::new(Code::RequiredItemMissing, span, message)
                .with_label("here")
                .with_help(help.to_string()),
        );
    }

    /// Reports a pest error. `start` is where the item, step or body line began; `body` names
    /// the step whose body it is in, or is `None` at the level of the process.
    fn syntax_error(
        &mut self,
        err: pest::error::Error<Rule>,
        start: usize,
        body: Option<(&'static str, &[&str])>,
    ) {
        let pos = self.base
            + match err.location {
                pest::error::InputLocation::Pos(p) => p,
                pest::error::InputLocation::Span((p, _)) => p,
            };
        let err = err.renamed_rules(describe);
        let expected = err.variant.message().into_owned();
        let (found, end) = match token_at(self.src, pos) {
            None => ("the end of the file".to_string(), pos),
            Some((tok, end)) if tok == "\n" || tok == "\r" => {
                ("the end of the line".to_string(), end)
            }
            Some((tok, end)) => (format!("`{tok}`"), end),
        };
        let span = Span::new(pos, end);
        let (keyword, _) = token_at(self.src, start).unwrap_or(("", start));
        if found == "`\"`" && !string_closes(self.src, pos) {
            self.diags.push(
                Diagnostic::new(Code::Syntax, span, "this string is not closed")
                    .with_label("the string starts here")
                    .with_help("close the string with `\"` on the same line; write a line break inside a string as `\\n`"),
            );
            return;
        }
        let at_start = pos == start;
        let (candidates, help) = match body {
            Some((step, words)) => (words, template(step).map(str::to_string)),
            None if at_start => (
                keywords::TOP.as_slice(),
                Some(format!(
                    "a process holds items ({}) and steps ({})",
                    keywords::HEADER_ITEMS
                        .iter()
                        .chain(keywords::DEFINITIONS)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", "),
                    keywords::STEPS.join(", ")
                )),
            ),
            None => (
                keywords::TOP.as_slice(),
                template(keyword).map(str::to_string),
            ),
        };
        let close = did_you_mean(keyword, candidates.iter().copied()).filter(|_| at_start);
        // A keyword that the previous item took as its last name, on the line of this error.
        let line_of = |at: usize| self.src[..at].matches('\n').count();
        let swallowed = self
            .swallowed
            .filter(|s| body.is_none() && at_start && line_of(s.start) == line_of(pos));
        let mut diag =
            Diagnostic::new(Code::Syntax, span, expected).with_label(format!("found {found}"));
        diag.help = if let Some(swallowed) = swallowed {
            let word = &self.src[swallowed.start..swallowed.end];
            diag = diag.with_related(swallowed, format!("`{word}` read as a name"));
            Some(format!(
                "the step or item before this line is not finished, so `{word}` was read as its last name; finish it"
            ))
        } else if body.is_none() && at_start && keywords::only_in_bodies(keyword) {
            Some(format!(
                "`{keyword}` belongs inside the body `{{ ... }}` of a step; check for a `}}` that closes the step too early"
            ))
        } else if let Some(k) = close {
            Some(format!("did you mean `{k}`?"))
        } else if keyword == "timeout" && found == "`until`" {
            Some("a timeout waits a duration: `timeout 4 weeks -> STEP`; to wait until a date in the case data, use a timer step: `timer NAME until FIELD -> STEP`".to_string())
        } else {
            help
        };
        self.diags.push(diag);
    }

    fn process(&mut self) -> Option<ProcessModel> {
        let header = match ZaakParser::parse(Rule::header, self.src) {
            Ok(mut pairs) => pairs.next()?,
            Err(err) => {
                self.syntax_error(err, skip_trivia(self.src, 0), None);
                if let Some(last) = self.diags.last_mut() {
                    last.help = template("process").map(str::to_string);
                }
                return None;
            }
        };
        let mut names = header
            .clone()
            .into_inner()
            .filter(|p| p.as_rule() == Rule::name);
        let key = names.next().map(|p| self.name(&p)).unwrap_or_default();
        let version = header
            .clone()
            .into_inner()
            .find(|p| p.as_rule() == Rule::number)
            .map(|p| self.int::<u32>(&p, "version"))
            .unwrap_or(0);
        let header_start = header
            .clone()
            .into_inner()
            .find(|p| p.as_rule() == Rule::k_process)
            .map(|p| p.as_span().start())
            .unwrap_or(0);
        let mut model = ProcessModel {
            process: key,
            version,
            title: String::new(),
            description: None,
            legal_basis: None,
            initiator_action: None,
            term: None,
            service_norm: None,
            suspension_allowed: false,
            extension: None,
            confidentiality: Confidentiality::default(),
            on_deadline: DeadlineEffect::default(),
            teams: Vec::new(),
            roles: Vec::new(),
            data: Vec::new(),
            messages: Vec::new(),
            statuses: Vec::new(),
            results: Vec::new(),
            start: Name::default(),
            steps: Vec::new(),
            span: Span::new(header_start, self.src.len()),
        };
        let mut seen = Seen::default();
        let mut pos = header.as_span().end();
        // Once an item has been skipped, a missing `title` or `start` may be that item.
        let mut skipped = false;
        loop {
            pos = skip_trivia(self.src, pos);
            if pos >= self.src.len() && self.eof_reported {
                break;
            }
            if pos >= self.src.len() {
                let last = self.src.trim_end().len();
                self.diags.push(
                    Diagnostic::new(
                        Code::Syntax,
                        Span::new(last, last),
                        "the process is not closed: expected `}`",
                    )
                    .with_label("the file ends here")
                    .with_related(model.process.span, "the process starts here")
                    .with_help("end the process with `}` after its last step"),
                );
                break;
            }
            if self.src[pos..].starts_with('}') {
                // A `}` followed by more items and another `}` is one too many, not the end of
                // the process.
                let next = skip_trivia(self.src, pos + 1);
                let (word, _) = token_at(self.src, next).unwrap_or(("", next));
                if keywords::TOP.contains(&word)
                    && self.src[next..].contains('}')
                    && self.error_count() < MAX_ERRORS
                {
                    self.diags.push(
                        Diagnostic::new(
                            Code::Syntax,
                            Span::new(pos, pos + 1),
                            "this `}` closes the process, but more items follow",
                        )
                        .with_label("one `}` too many")
                        .with_help("remove this `}`, or the `{` it was meant to close is missing"),
                    );
                    pos += 1;
                    continue;
                }
                model.span.end = pos + 1;
                self.after_process(pos + 1);
                break;
            }
            if self.error_count() >= MAX_ERRORS {
                self.diags.push(
                    Diagnostic::new(
                        Code::TooManyErrors,
                        Span::new(pos, pos),
                        format!("too many errors ({MAX_ERRORS}); the rest of the file is not read"),
                    )
                    .with_label("reading stopped here")
                    .with_help("fix the errors above and read the file again"),
                );
                break;
            }
            let (word, _) = token_at(self.src, pos).unwrap_or(("", pos));
            if let Some(body) = BODIES.iter().find(|b| b.keyword == word) {
                match self.braced_step(pos, *body, &mut model, &mut seen) {
                    Ok((step, next)) => {
                        model.steps.extend(step);
                        pos = next.max(pos + 1);
                    }
                    Err(next) => {
                        skipped = true;
                        pos = next;
                        if pos >= self.src.len() {
                            break;
                        }
                    }
                }
                continue;
            }
            self.base = pos;
            match ZaakParser::parse(Rule::item, &self.src[pos..]) {
                Ok(mut pairs) => match pairs.next() {
                    Some(item) => {
                        let end = pos + item.as_span().end();
                        self.swallowed = self.keyword_at_line_start(&item);
                        self.item(item, &mut model, &mut seen);
                        self.base = 0;
                        pos = end.max(pos + 1);
                    }
                    None => break,
                },
                Err(err) => {
                    self.syntax_error(err, pos, None);
                    self.remember_skipped(pos);
                    skipped = true;
                    self.base = 0;
                    pos = resume_point(self.src, pos);
                    if pos >= self.src.len() {
                        // Skipping reached the end of the file: the missing `}` is a
                        // consequence of the error already reported.
                        break;
                    }
                }
            }
        }
        self.base = 0;
        if !skipped && !seen.0.contains_key("title") {
            self.missing(
                model.process.span,
                format!("the process `{}` has no `title`", model.process),
                "add `title \"...\"` after the `process` line",
            );
        }
        if !skipped && !seen.0.contains_key("start") {
            self.missing(
                model.process.span,
                format!("the process `{}` has no `start`", model.process),
                "add `start STEP` naming the step a new case starts at",
            );
        }
        Some(model)
    }

    /// Reads a step with a body: the head, then the body line by line up to its `}`. A broken
    /// line is reported and skipped; the step is kept. Fails with where to go on when the head
    /// itself does not parse.
    fn braced_step(
        &mut self,
        start: usize,
        body: Body,
        model: &mut ProcessModel,
        top: &mut Seen,
    ) -> Result<(Option<Step>, usize), usize> {
        self.base = start;
        let head = match ZaakParser::parse(body.head, &self.src[start..]) {
            Ok(mut pairs) => pairs.next(),
            Err(err) => {
                self.syntax_error(err, start, None);
                self.remember_skipped(start);
                self.base = 0;
                let next = resume_after_body(self.src, start)
                    .unwrap_or_else(|| resume_point(self.src, start));
                return Err(next);
            }
        };
        let Some(head) = head else {
            self.base = 0;
            return Err(resume_point(self.src, start));
        };
        let head_end = start + head.as_span().end();
        let (mut names, label, _) = self.parts(head);
        let name = if names.is_empty() {
            Name::default()
        } else {
            names.remove(0)
        };
        let mut lines = Vec::new();
        let mut pos = head_end;
        let mut last_end = head_end;
        let mut line_skipped = false;
        let (step_end, next) = loop {
            pos = skip_trivia(self.src, pos);
            if pos >= self.src.len() {
                self.eof_reported = true;
                self.diags.push(
                    Diagnostic::new(
                        Code::Syntax,
                        Span::new(last_end, last_end),
                        format!("the {} `{name}` is not closed: expected `}}`", body.noun),
                    )
                    .with_label("the file ends here")
                    .with_related(name.span, "the step starts here")
                    .with_help(format!(
                        "close the {} with `}}` after its last line",
                        body.noun
                    )),
                );
                break (last_end, self.src.len());
            }
            if self.src[pos..].starts_with('}') {
                break (pos + 1, pos + 1);
            }
            let (word, word_end) = token_at(self.src, pos).unwrap_or(("", pos));
            // An item of the process written inside the step, indented as a line of it: the
            // designer put it in the wrong place, the step goes on after it. A word that starts
            // a line of another kind of step (`team` in an auto step) is rather a line in the
            // wrong kind of step, and reported as such below.
            if keywords::is_item(word)
                && keywords::only_at_top(word)
                && indent_at(self.src, pos) > indent_at(self.src, start)
            {
                pos = self.misplaced_item(pos, word_end, &name, body, model, top);
                continue;
            }
            if !body.words().contains(&word) && keywords::only_at_top(word) {
                self.diags.push(
                    Diagnostic::new(
                        Code::Syntax,
                        Span::new(pos, word_end),
                        format!("the {} `{name}` is not closed: expected `}}`", body.noun),
                    )
                    .with_label(format!("found `{word}`"))
                    .with_related(name.span, "the step starts here")
                    .with_help(format!(
                        "close the {} with `}}` after its last line",
                        body.noun
                    )),
                );
                break (last_end, pos);
            }
            if self.error_count() >= MAX_ERRORS {
                break (last_end, pos);
            }
            self.base = pos;
            match ZaakParser::parse(body.line, &self.src[pos..]) {
                Ok(mut pairs) => {
                    let Some(line) = pairs.next() else {
                        break (last_end, pos);
                    };
                    last_end = self.span(&line).end;
                    let line_end = pos + line.as_span().end();
                    lines.extend(line.into_inner().map(|stmt| (pos, stmt)));
                    pos = line_end.max(pos + 1);
                }
                Err(err) => {
                    self.syntax_error(err, pos, Some((body.keyword, body.words())));
                    line_skipped = true;
                    pos = resume_in_body(self.src, pos, body.words());
                }
            }
        };
        self.base = 0;
        self.quiet_missing = line_skipped;
        let mut seen = Seen::default();
        let kind = match body.keyword {
            "task" => StepKind::Task(self.task(&name, lines, &mut seen)),
            "auto" => StepKind::Auto(self.auto(&name, lines, &mut seen)),
            "choice" => StepKind::Choice(self.choice(lines, &mut seen)),
            "inclusive" => StepKind::Inclusive(self.choice(lines, &mut seen)),
            _ => StepKind::Wait(self.wait(&name, names.into_iter().next(), lines, &mut seen)),
        };
        self.base = 0;
        self.quiet_missing = false;
        Ok((
            Some(Step {
                name,
                label,
                kind,
                span: Span::new(start, step_end),
            }),
            next,
        ))
    }

    /// Reads an item of the process that stands inside a step's body (`term 8 weeks` in an auto
    /// step), reports where it belongs, and keeps it in the model as if it stood there, so that
    /// nothing it says is lost and nothing that needs it is reported missing. Returns where
    /// the body goes on.
    fn misplaced_item(
        &mut self,
        pos: usize,
        word_end: usize,
        step: &Name,
        body: Body,
        model: &mut ProcessModel,
        top: &mut Seen,
    ) -> usize {
        let word = &self.src[pos..word_end];
        self.base = pos;
        match ZaakParser::parse(Rule::item, &self.src[pos..]) {
            Ok(mut pairs) => {
                let Some(item) = pairs.next() else {
                    self.base = 0;
                    return resume_in_body(self.src, pos, body.words());
                };
                let end = pos + item.as_span().end();
                let span = self.span(&item);
                self.diags.push(
                    Diagnostic::new(
                        Code::Syntax,
                        span,
                        format!(
                            "`{word}` belongs to the process, not to the {} `{step}`",
                            body.noun
                        ),
                    )
                    .with_label(format!("inside the {} `{step}`", body.noun))
                    .with_related(step.span, "the step starts here")
                    .with_help(format!(
                        "move this line out of the step's `{{ ... }}`, to the level of `title` and `start`; it is read as if it stood there{}",
                        template(word).map(|t| format!(" ({t})")).unwrap_or_default()
                    )),
                );
                self.item(item, model, top);
                self.base = 0;
                end.max(pos + 1)
            }
            Err(err) => {
                self.syntax_error(err, pos, None);
                self.base = 0;
                resume_in_body(self.src, pos, body.words())
            }
        }
    }

    /// Remembers the name an item or step that could not be read was going to define (the word
    /// after its keyword), so that validation does not report it as unknown where it is used.
    fn remember_skipped(&mut self, start: usize) {
        let Some((_, keyword_end)) = token_at(self.src, start) else {
            return;
        };
        let at = skip_trivia(self.src, keyword_end);
        if let Some((word, _)) = token_at(self.src, at) {
            if word.chars().all(is_ident_char) {
                self.skipped_names.push(word.to_string());
            }
        }
    }

    /// The span of the item's last token when it is a name that is also a word that starts an
    /// item or a step, written first on its line.
    fn keyword_at_line_start(&self, item: &Pair<Rule>) -> Option<Span> {
        let mut last = item.clone();
        while let Some(child) = last.clone().into_inner().last() {
            last = child;
        }
        if last.as_rule() != Rule::name || !keywords::TOP.contains(&last.as_str()) {
            return None;
        }
        let span = self.span(&last);
        let line_start = self.src[..span.start].rfind('\n').map_or(0, |n| n + 1);
        self.src[line_start..span.start]
            .trim()
            .is_empty()
            .then_some(span)
    }

    /// Only comments may follow the `}` that closes the process.
    fn after_process(&mut self, from: usize) {
        let pos = skip_trivia(self.src, from);
        if pos < self.src.len() {
            let end = self.src[pos..]
                .find('\n')
                .map(|n| pos + n)
                .unwrap_or(self.src.len());
            self.diags.push(
                Diagnostic::new(
                    Code::Syntax,
                    Span::new(pos, end),
                    "unexpected text after the end of the process",
                )
                .with_label("after the closing `}`")
                .with_help("a file holds one process; move this inside the braces or remove it"),
            );
        }
    }

    fn int<T: std::str::FromStr + Default>(&mut self, pair: &Pair<Rule>, what: &str) -> T {
        match pair.as_str().parse::<T>() {
            Ok(n) => n,
            Err(_) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::NumberTooLarge,
                        self.span(pair),
                        format!("the {what} `{}` is too large", pair.as_str()),
                    )
                    .with_label("out of range")
                    .with_help(format!(
                        "a {what} is at most {}",
                        if what == "priority" {
                            "2147483647 and at least -2147483648"
                        } else {
                            "4294967295"
                        }
                    )),
                );
                T::default()
            }
        }
    }

    fn string(&mut self, pair: &Pair<Rule>) -> String {
        let Some(inner) = pair.clone().into_inner().next() else {
            return String::new();
        };
        let raw = inner.as_str();
        let start = self.base + inner.as_span().start();
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, 'n')) => out.push('\n'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, 't')) => out.push('\t'),
                Some((j, other)) => {
                    self.diags.push(
                        Diagnostic::new(
                            Code::BadEscape,
                            Span::new(start + i, start + j + other.len_utf8()),
                            format!("unknown escape `\\{other}` in a string"),
                        )
                        .with_label("not an escape")
                        .with_help(
                            "inside a string write `\\\"` for a quote, `\\\\` for a backslash, `\\n` for a new line and `\\t` for a tab",
                        ),
                    );
                    out.push(other);
                }
                None => out.push('\\'),
            }
        }
        out
    }

    fn duration(&mut self, pair: &Pair<Rule>) -> Option<Duration> {
        match read_duration(pair.as_str(), self.span(pair)) {
            Ok(d) => Some(d),
            Err(d) => {
                self.diags.push(d);
                None
            }
        }
    }

    /// Splits a rule into its direct names, its first direct string and the rest.
    fn parts<'i>(
        &mut self,
        pair: Pair<'i, Rule>,
    ) -> (Vec<Name>, Option<String>, Vec<Pair<'i, Rule>>) {
        let mut names = Vec::new();
        let mut label = None;
        let mut rest = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::name => names.push(self.name(&p)),
                Rule::string if label.is_none() => label = Some(self.string(&p)),
                _ => rest.push(p),
            }
        }
        (names, label, rest)
    }

    fn item(&mut self, item: Pair<Rule>, model: &mut ProcessModel, seen: &mut Seen) {
        let Some(pair) = item.into_inner().next() else {
            return;
        };
        let span = self.span(&pair);
        let rule = pair.as_rule();
        if rule == Rule::step {
            if let Some(step) = pair.into_inner().next().and_then(|s| self.step(s)) {
                model.steps.push(step);
            }
            return;
        }
        let single = match rule {
            Rule::title_item => Some("title"),
            Rule::description_item => Some("description"),
            Rule::legal_basis_item => Some("legal_basis"),
            Rule::initiator_item => Some("initiator"),
            Rule::term_item => Some("term"),
            Rule::service_norm_item => Some("service_norm"),
            Rule::extension_item => Some("extension"),
            Rule::suspension_item => Some("suspension"),
            Rule::confidentiality_item => Some("confidentiality"),
            Rule::on_deadline_item => Some("on_deadline"),
            Rule::start_item => Some("start"),
            _ => None,
        };
        if let Some(keyword) = single {
            if !self.first(seen, keyword, span) {
                return;
            }
        }
        let (mut names, label, rest) = self.parts(pair);
        let first_name = if names.is_empty() {
            Name::default()
        } else {
            names.remove(0)
        };
        match rule {
            Rule::title_item => {
                model.title = label.unwrap_or_default();
            }
            Rule::description_item => {
                model.description = label;
            }
            Rule::legal_basis_item => {
                model.legal_basis = label;
            }
            Rule::initiator_item => {
                model.initiator_action = Some(first_name.name);
            }
            Rule::term_item => {
                let mut duration = None;
                let mut counting = TermCounting::Calendar;
                for p in &rest {
                    match p.as_rule() {
                        Rule::duration => duration = self.duration(p),
                        Rule::counting if p.as_str() == "working_days" => {
                            counting = TermCounting::WorkingDays
                        }
                        _ => {}
                    }
                }
                model.term = duration.map(|duration| LegalTerm { duration, counting });
                if let Some(term) = &model.term {
                    let at = rest
                        .iter()
                        .find(|p| p.as_rule() == Rule::duration)
                        .map_or(span, |p| self.span(p));
                    self.diags.extend(check_term(term, at));
                }
            }
            Rule::service_norm_item => {
                let d = self.first_duration(&rest);
                model.service_norm = d;
            }
            Rule::extension_item => {
                let d = self.first_duration(&rest);
                model.extension = d;
            }
            Rule::suspension_item => {
                model.suspension_allowed = true;
            }
            Rule::confidentiality_item => {
                let level = Confidentiality::parse(first_name.as_str());
                if level.is_none() {
                    let levels: Vec<&str> =
                        Confidentiality::ALL.iter().map(|c| c.as_str()).collect();
                    self.diags.push(unknown_word(
                        first_name.as_str(),
                        first_name.span,
                        Code::UnknownConfidentiality,
                        "confidentiality level",
                        &levels,
                    ));
                }
                if let Some(level) = level {
                    model.confidentiality = level;
                }
            }
            Rule::on_deadline_item => {
                let mut effect = DeadlineEffect::Warning;
                for p in rest {
                    match p.as_rule() {
                        Rule::deadline_simple if p.as_str() == "dwangsom" => {
                            effect = DeadlineEffect::Dwangsom
                        }
                        Rule::van_rechtswege => {
                            let (names, _, _) = self.parts(p);
                            if let Some(result) = names.into_iter().next() {
                                effect = DeadlineEffect::VanRechtswege { result };
                            }
                        }
                        _ => {}
                    }
                }
                model.on_deadline = effect;
            }
            Rule::start_item => {
                model.start = first_name;
            }
            Rule::team_item => model.teams.push(Team {
                name: first_name,
                label,
                span,
            }),
            Rule::role_item => model.roles.push(Role {
                name: first_name,
                label,
                span,
            }),
            Rule::message_item => model.messages.push(MessageDef {
                name: first_name,
                label,
                span,
            }),
            Rule::status_item => model.statuses.push(StatusDef {
                name: first_name,
                citizen_text: label.unwrap_or_default(),
                notify: rest.iter().any(|p| p.as_rule() == Rule::flag_notify),
                span,
            }),
            Rule::result_item => {
                let mut archive = ArchiveNomination::Keep;
                let mut retention = None;
                for p in rest {
                    match p.as_rule() {
                        Rule::archive if p.as_str() == "destroy" => {
                            archive = ArchiveNomination::Destroy
                        }
                        Rule::retention => {
                            let (_, _, inner) = self.parts(p);
                            retention = self.first_duration(&inner);
                        }
                        _ => {}
                    }
                }
                model.results.push(ResultDef {
                    name: first_name,
                    label,
                    archive,
                    retention,
                    span,
                });
            }
            Rule::data_item => {
                if let Some(decl) = rest.into_iter().find(|p| p.as_rule() == Rule::field_decl) {
                    let field = self.field(decl, span);
                    model.data.push(field);
                }
            }
            _ => {}
        }
    }

    fn first_duration(&mut self, pairs: &[Pair<Rule>]) -> Option<Duration> {
        let p = pairs.iter().find(|p| p.as_rule() == Rule::duration)?;
        self.duration(p)
    }

    /// A `field_decl`; `span` is the span of the whole item or task line.
    fn field(&mut self, decl: Pair<Rule>, span: Span) -> DataField {
        let (names, label, rest) = self.parts(decl);
        let mut ty = DataType::Text;
        for p in &rest {
            if p.as_rule() != Rule::data_type {
                continue;
            }
            let Some(inner) = p.clone().into_inner().next() else {
                continue;
            };
            ty = match (inner.as_rule(), inner.as_str()) {
                (Rule::type_simple, "number") => DataType::Number,
                (Rule::type_simple, "bool") => DataType::Bool,
                (Rule::type_simple, "date") => DataType::Date,
                (Rule::type_choice, _) => DataType::Choice(
                    inner
                        .into_inner()
                        .filter(|s| s.as_rule() == Rule::string)
                        .map(|s| self.string(&s))
                        .collect(),
                ),
                _ => DataType::Text,
            };
        }
        DataField {
            name: names.into_iter().next().unwrap_or_default(),
            ty,
            label,
            required: rest.iter().any(|p| p.as_rule() == Rule::flag_required),
            citizen: rest.iter().any(|p| p.as_rule() == Rule::flag_citizen),
            span,
        }
    }

    /// The single name inside a statement such as `then STEP` or `team T`.
    fn inner_name(&mut self, pair: Pair<Rule>) -> Name {
        let (names, _, _) = self.parts(pair);
        names.into_iter().last().unwrap_or_default()
    }

    fn step(&mut self, pair: Pair<Rule>) -> Option<Step> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let (mut names, label, rest) = self.parts(pair);
        if names.is_empty() {
            return None;
        }
        let name = names.remove(0);
        let mut seen = Seen::default();
        let base = self.base;
        fn body(base: usize, rest: Vec<Pair<'_, Rule>>) -> Vec<(usize, Pair<'_, Rule>)> {
            rest.into_iter().map(|p| (base, p)).collect()
        }
        let kind = match rule {
            Rule::task_step => StepKind::Task(self.task(&name, body(base, rest), &mut seen)),
            Rule::auto_step => StepKind::Auto(self.auto(&name, body(base, rest), &mut seen)),
            Rule::choice_step => StepKind::Choice(self.choice(body(base, rest), &mut seen)),
            Rule::inclusive_step => StepKind::Inclusive(self.choice(body(base, rest), &mut seen)),
            Rule::parallel_step => StepKind::Parallel(ParallelStep { branches: names }),
            Rule::join_step => {
                let mut mode = JoinMode::All;
                let mut split = None;
                for p in rest {
                    if p.as_rule() == Rule::join_some {
                        mode = JoinMode::Some;
                        let (inner, _, _) = self.parts(p);
                        split = inner.into_iter().next();
                    }
                }
                StepKind::Join(JoinStep {
                    mode,
                    split,
                    then: names.into_iter().next().unwrap_or_default(),
                })
            }
            Rule::wait_step => StepKind::Wait(self.wait(
                &name,
                names.into_iter().next(),
                body(base, rest),
                &mut seen,
            )),
            Rule::timer_step => {
                let mut wait = TimerWait::After(Duration::new(0, DurationUnit::Days));
                for p in rest {
                    match p.as_rule() {
                        Rule::timer_after => {
                            let (_, _, inner) = self.parts(p);
                            if let Some(d) = self.first_duration(&inner) {
                                wait = TimerWait::After(d);
                            }
                        }
                        Rule::timer_until => wait = TimerWait::Until(self.inner_name(p)),
                        _ => {}
                    }
                }
                StepKind::Timer(TimerStep {
                    wait,
                    then: names.into_iter().next().unwrap_or_default(),
                })
            }
            Rule::subcase_step => {
                let mut pass = Vec::new();
                let mut wait = false;
                for p in rest {
                    match p.as_rule() {
                        Rule::pass_list => pass = self.parts(p).0,
                        Rule::flag_wait => wait = true,
                        _ => {}
                    }
                }
                let mut names = names.into_iter();
                StepKind::Subcase(SubcaseStep {
                    process: names.next().unwrap_or_default(),
                    pass,
                    wait,
                    then: names.next().unwrap_or_default(),
                })
            }
            Rule::end_step => {
                let mut end = EndStep::default();
                for p in rest {
                    match p.as_rule() {
                        Rule::end_result => end.result = Some(self.inner_name(p)),
                        Rule::end_status => end.status = Some(self.inner_name(p)),
                        _ => {}
                    }
                }
                StepKind::End(end)
            }
            _ => return None,
        };
        Some(Step {
            name,
            label,
            kind,
            span,
        })
    }

    fn task(&mut self, name: &Name, body: Vec<(usize, Pair<Rule>)>, seen: &mut Seen) -> TaskStep {
        let mut task = TaskStep {
            team: Name::default(),
            role: None,
            due: None,
            priority: 0,
            outcomes: Vec::new(),
            fields: Vec::new(),
            status_on_start: None,
            status_on_end: None,
            then: None,
        };
        for (base, p) in body {
            self.base = base;
            let span = self.span(&p);
            match p.as_rule() {
                Rule::task_team => {
                    let n = self.inner_name(p);
                    if self.first(seen, "team", span) {
                        task.team = n;
                    }
                }
                Rule::task_role => {
                    let n = self.inner_name(p);
                    if self.first(seen, "role", span) {
                        task.role = Some(n);
                    }
                }
                Rule::task_due => {
                    let (_, _, inner) = self.parts(p);
                    let d = self.first_duration(&inner);
                    if self.first(seen, "due", span) {
                        task.due = d;
                    }
                }
                Rule::task_priority => {
                    let n = p
                        .clone()
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::signed)
                        .map(|q| self.int::<i32>(&q, "priority"))
                        .unwrap_or(0);
                    if self.first(seen, "priority", span) {
                        task.priority = n;
                    }
                }
                Rule::task_on_start => {
                    let n = self.inner_name(p);
                    if self.first(seen, "on_start", span) {
                        task.status_on_start = Some(n);
                    }
                }
                Rule::task_on_end => {
                    let n = self.inner_name(p);
                    if self.first(seen, "on_end", span) {
                        task.status_on_end = Some(n);
                    }
                }
                Rule::task_field => {
                    if let Some(decl) = p.into_inner().find(|q| q.as_rule() == Rule::field_decl) {
                        let field = self.field(decl, span);
                        task.fields.push(field);
                    }
                }
                Rule::task_outcome => {
                    let (names, label, _) = self.parts(p);
                    let mut names = names.into_iter();
                    task.outcomes.push(Outcome {
                        name: names.next().unwrap_or_default(),
                        label,
                        then: names.next(),
                        span,
                    });
                }
                Rule::then_stmt => {
                    let n = self.inner_name(p);
                    if self.first(seen, "then", span) {
                        task.then = Some(n);
                    }
                }
                _ => {}
            }
        }
        if !seen.0.contains_key("team") {
            self.missing(
                name.span,
                format!("the task `{name}` has no `team`"),
                "add `team NAME` naming the team whose members do the task",
            );
        }
        task
    }

    fn auto(&mut self, name: &Name, body: Vec<(usize, Pair<Rule>)>, seen: &mut Seen) -> AutoStep {
        let mut actions = Vec::new();
        let mut then = None;
        for (base, p) in body {
            self.base = base;
            let span = self.span(&p);
            match p.as_rule() {
                Rule::action_status => actions.push(Action::Status(self.inner_name(p))),
                Rule::action_result => actions.push(Action::Result(self.inner_name(p))),
                Rule::action_letter => actions.push(Action::Letter(self.inner_name(p))),
                Rule::action_notify => actions.push(Action::Notify(self.inner_name(p))),
                Rule::action_set => {
                    let mut field = Name::default();
                    let mut value = Expr::default();
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::name => field = self.name(&q),
                            Rule::expr => value = self.expr(&q),
                            _ => {}
                        }
                    }
                    actions.push(Action::Set { field, value });
                }
                Rule::then_stmt => {
                    let n = self.inner_name(p);
                    if self.first(seen, "then", span) {
                        then = Some(n);
                    }
                }
                _ => {}
            }
        }
        let then = then.unwrap_or_else(|| {
            self.missing(
                name.span,
                format!("the auto step `{name}` has no `then`"),
                "add `then STEP` naming the step that follows",
            );
            Name::default()
        });
        AutoStep { actions, then }
    }

    fn expr(&self, pair: &Pair<Rule>) -> Expr {
        let raw = pair.as_str();
        let start = self.base + pair.as_span().start();
        let lead = raw.len() - raw.trim_start().len();
        let source = raw.trim();
        Expr {
            source: source.to_string(),
            span: Span::new(start + lead, start + lead + source.len()),
        }
    }

    fn choice(&mut self, body: Vec<(usize, Pair<Rule>)>, seen: &mut Seen) -> ChoiceStep {
        let mut choice = ChoiceStep {
            branches: Vec::new(),
            otherwise: None,
        };
        for (base, p) in body {
            self.base = base;
            let span = self.span(&p);
            match p.as_rule() {
                Rule::when_branch => {
                    let mut when = Expr::default();
                    let mut then = Name::default();
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::expr => when = self.expr(&q),
                            Rule::name => then = self.name(&q),
                            _ => {}
                        }
                    }
                    choice.branches.push(Branch { when, then, span });
                }
                Rule::otherwise => {
                    let n = self.inner_name(p);
                    if self.first(seen, "otherwise", span) {
                        choice.otherwise = Some(n);
                    }
                }
                _ => {}
            }
        }
        choice
    }

    fn wait(
        &mut self,
        name: &Name,
        message: Option<Name>,
        body: Vec<(usize, Pair<Rule>)>,
        seen: &mut Seen,
    ) -> WaitStep {
        let mut wait = WaitStep {
            message: message.unwrap_or_default(),
            suspend: None,
            timeout: None,
            then: Name::default(),
        };
        for (base, p) in body {
            self.base = base;
            let span = self.span(&p);
            match p.as_rule() {
                Rule::wait_suspend => {
                    let (_, reason, _) = self.parts(p);
                    if self.first(seen, "suspend", span) {
                        wait.suspend = Some(reason.unwrap_or_default());
                    }
                }
                Rule::wait_timeout => {
                    let (names, _, inner) = self.parts(p);
                    let after = self
                        .first_duration(&inner)
                        .unwrap_or(Duration::new(0, DurationUnit::Days));
                    if self.first(seen, "timeout", span) {
                        wait.timeout = Some(Timeout {
                            after,
                            then: names.into_iter().next().unwrap_or_default(),
                        });
                    }
                }
                Rule::then_stmt => {
                    let n = self.inner_name(p);
                    if self.first(seen, "then", span) {
                        wait.then = n;
                    }
                }
                _ => {}
            }
        }
        if !seen.0.contains_key("then") {
            self.missing(
                name.span,
                format!("the wait step `{name}` has no `then`"),
                "add `then STEP` naming the step that follows when the message arrives",
            );
        }
        wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Error messages name what was expected in the words of the language, never a rule of the
    /// grammar.
    #[test]
    fn no_rule_is_described_by_its_grammar_name() {
        const INTERNAL: &[&str] = &[
            "k_",
            "_item",
            "_step",
            "_stmt",
            "_head",
            "_line",
            "_decl",
            "flag_",
            "type_",
            "deadline_",
            "action_",
            "join_",
            "end_",
            "timer_",
            "wait_",
            "task_",
            "pass_list",
            "when_branch",
            "string_inner",
            "iso_duration",
            "lbrace",
            "rbrace",
            "lbracket",
            "rbracket",
            "`comma",
            "`colon",
            "`equals",
            "`arrow",
            "`expr",
            "`name`",
            "`duration`",
        ];
        for rule in Rule::all_rules() {
            let text = describe(rule);
            assert!(!text.is_empty(), "{rule:?}");
            for fragment in INTERNAL {
                assert!(!text.contains(fragment), "{rule:?} is described as {text}");
            }
        }
    }

    #[test]
    fn resume_point_skips_a_broken_step_with_its_body() {
        let src = "    task a {\n        bogus\n        end x\n    }\n    end b\n}\n";
        let at = resume_point(src, 4);
        assert_eq!(&src[at..at + 5], "end b");
        // Without the closing brace, the next word that only starts a step is used.
        let src = "    task a {\n        team t\n    end b\n";
        let at = resume_point(src, 4);
        assert_eq!(&src[at..at + 5], "end b");
    }
}
