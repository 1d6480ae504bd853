//! The YAML document as a tree of nodes that know where they are written.
//!
//! `saphyr-parser` reports every event with its place in the source; this module builds the
//! tree of maps, lists and scalars from those events, with byte spans that point at what a
//! designer wrote: a scalar's span leaves out its anchor, tag and quotes, a block scalar's
//! (`|`, `>`) covers its lines of text, and a value reached through an alias (`*x`) points at
//! the alias, where it is used. The schema check and the spans of the model are read from this
//! tree, so flow style, anchors and multi-line scalars are located like any other YAML.

use crate::model::Span;
use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;

/// Values that aliases may expand to in one document, per byte of source and at least this
/// many: enough for any process, and a bound on what a document of nested aliases can cost.
const MIN_NODES: usize = 100_000;
/// Maps and lists nested deeper than this are refused, so that walking the tree stays far
/// from the limit of the stack.
const MAX_DEPTH: usize = 100;

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) value: Value,
    pub(crate) span: Span,
    /// Written with a tag of its own (`!monument`), which no part of a process has: usually
    /// an expression that starts with `!` and was not put in quotes.
    pub(crate) tagged: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum Value {
    /// A scalar's text, and whether it was written plain (without quotes or a block style),
    /// so that `null` and `~` are told from `"null"`.
    Scalar(String, bool),
    Map(Vec<(Node, Node)>),
    List(Vec<Node>),
}

impl Node {
    /// The value of `key` in a map.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|(k, _)| k.scalar() == Some(key))
            .map(|(_, v)| v)
    }

    /// The entries of a map; none for anything else.
    pub(crate) fn entries(&self) -> &[(Node, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The items of a list; none for anything else.
    pub(crate) fn items(&self) -> &[Node] {
        match &self.value {
            Value::List(items) => items,
            _ => &[],
        }
    }

    pub(crate) fn scalar(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s, _) => Some(s),
            _ => None,
        }
    }

    /// Whether the node is YAML's null: nothing, `~` or `null` written plain.
    pub(crate) fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(s, true) if matches!(s.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// What the node is, in the words of an error message.
    pub(crate) fn describe(&self) -> String {
        match &self.value {
            _ if self.is_null() => "nothing".to_string(),
            Value::Scalar(s, _) => format!("the text `{s}`"),
            Value::Map(_) => "keys".to_string(),
            Value::List(_) => "a list".to_string(),
        }
    }
}

/// Why a source could not be read as YAML: where and what.
pub(crate) struct NotYaml {
    pub(crate) at: usize,
    pub(crate) message: String,
}

/// Reads the first document of a source. An empty source is a null document.
pub(crate) fn read(source: &str) -> Result<Node, NotYaml> {
    let mut builder = Builder {
        offsets: CharOffsets::new(source),
        source,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        budget: MIN_NODES.max(source.len()),
        root: None,
    };
    for event in Parser::new_from_str(source) {
        let (event, span) = event.map_err(|e| NotYaml {
            at: builder.offsets.byte(e.marker().index()),
            message: e.info().to_string(),
        })?;
        let start = builder.offsets.byte(span.start.index());
        let end = builder.offsets.byte(span.end.index());
        if builder.event(event, start, end)? {
            break;
        }
    }
    Ok(builder.root.unwrap_or(Node {
        value: Value::Scalar(String::new(), true),
        span: Span::new(0, 0),
        tagged: false,
    }))
}

/// Turns the parser's character positions into byte offsets.
struct CharOffsets {
    /// The byte offset of each character, and the length of the source after the last.
    bytes: Vec<usize>,
}

impl CharOffsets {
    fn new(source: &str) -> CharOffsets {
        CharOffsets {
            bytes: source
                .char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(source.len()))
                .collect(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.bytes
            .get(char_index)
            .or(self.bytes.last())
            .copied()
            .unwrap_or(0)
    }
}

/// A map or list being read, with its anchor and where it starts.
struct Open {
    node: Node,
    anchor: usize,
    /// A map's key waiting for its value.
    key: Option<Node>,
}

struct Builder<'s> {
    offsets: CharOffsets,
    source: &'s str,
    stack: Vec<Open>,
    anchors: HashMap<usize, Node>,
    nodes: usize,
    budget: usize,
    root: Option<Node>,
}

impl Builder<'_> {
    /// Takes one event; true when the first document is complete.
    fn event(&mut self, event: Event<'_>, start: usize, end: usize) -> Result<bool, NotYaml> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let tagged = tag.is_some_and(|t| !t.is_yaml_core_schema());
                // A tagged scalar is shown at its tag, which is what is wrong with it.
                let span = if tagged {
                    tag_span(self.source, start)
                } else {
                    self.scalar_span(start, end, style)
                };
                let node = Node {
                    value: Value::Scalar(text.into_owned(), style == ScalarStyle::Plain),
                    span,
                    tagged,
                };
                self.remember(anchor, &node);
                self.add(node)?;
            }
            Event::Alias(id) => {
                let Some(target) = self.anchors.get(&id) else {
                    return Err(NotYaml {
                        at: start,
                        message: "this alias names no anchor".to_string(),
                    });
                };
                self.nodes += count(target);
                if self.nodes > self.budget {
                    return Err(NotYaml {
                        at: start,
                        message: format!("its aliases expand to more than {} values", self.budget),
                    });
                }
                let mut node = target.clone();
                node.span = Span::new(start, end.max(start));
                self.add(node)?;
            }
            Event::MappingStart(anchor, ref tag) | Event::SequenceStart(anchor, ref tag) => {
                let tagged = tag.as_ref().is_some_and(|t| !t.is_yaml_core_schema());
                if self.stack.len() >= MAX_DEPTH {
                    return Err(NotYaml {
                        at: start,
                        message: format!("maps and lists are nested deeper than {MAX_DEPTH}"),
                    });
                }
                let value = match event {
                    Event::MappingStart(..) => Value::Map(Vec::new()),
                    _ => Value::List(Vec::new()),
                };
                let start = skip_properties(self.source, start);
                self.stack.push(Open {
                    node: Node {
                        value,
                        span: Span::new(start, start),
                        tagged,
                    },
                    anchor,
                    key: None,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(mut open) = self.stack.pop() {
                    let last = trim_end(self.source, open.node.span.start, end);
                    open.node.span.end = last.max(open.node.span.start);
                    self.remember(open.anchor, &open.node);
                    self.add(open.node)?;
                }
            }
            Event::DocumentEnd => return Ok(self.root.is_some()),
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) | Event::Nothing => {}
        }
        Ok(false)
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
    }

    /// Puts a complete node where it belongs: as a map's key or value, a list's item, or the
    /// root.
    fn add(&mut self, node: Node) -> Result<(), NotYaml> {
        self.nodes += 1;
        if self.nodes > self.budget {
            return Err(NotYaml {
                at: node.span.start,
                message: format!("it holds more than {} values", self.budget),
            });
        }
        let Some(open) = self.stack.last_mut() else {
            self.root.get_or_insert(node);
            return Ok(());
        };
        open.node.span.end = open.node.span.end.max(node.span.end);
        match &mut open.node.value {
            Value::Map(entries) => match open.key.take() {
                Some(key) => entries.push((key, node)),
                None => open.key = Some(node),
            },
            Value::List(items) => items.push(node),
            Value::Scalar(..) => {}
        }
        Ok(())
    }

    /// The span of what a scalar says: without its anchor and tag, inside its quotes, and for a
    /// block scalar its lines of text without the line breaks after them.
    fn scalar_span(&self, start: usize, end: usize, style: ScalarStyle) -> Span {
        let start = skip_properties(self.source, start);
        let (start, end) = match style {
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if end >= start + 2 => {
                (start + 1, end - 1)
            }
            ScalarStyle::Literal | ScalarStyle::Folded => {
                let text = &self.source[start..end.max(start)];
                // The span may begin at the `|` or `>` of the header; the text is below it.
                let start = if text.starts_with(['|', '>']) {
                    text.find('\n').map_or(end, |n| start + n + 1)
                } else {
                    start
                };
                let rest = &self.source[start..end.max(start)];
                let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
                let start = (start + indent).min(end.max(start));
                (start, trim_end(self.source, start, end))
            }
            _ => (start, end),
        };
        Span::new(start, end.max(start))
    }
}

/// Skips an anchor (`&x`) and a tag (`!t`) before a node, with the spaces after them.
fn skip_properties(source: &str, mut at: usize) -> usize {
    loop {
        let rest = source.get(at..).unwrap_or("");
        if !rest.starts_with(['&', '!']) {
            return at;
        }
        let word = rest.find([' ', '\t', '\n', '\r']).unwrap_or(rest.len());
        let after = &rest[word..];
        at += word + (after.len() - after.trim_start_matches([' ', '\t', '\n', '\r']).len());
    }
}

/// The tag (`!name`) among the properties that start at `at`.
fn tag_span(source: &str, mut at: usize) -> Span {
    loop {
        let rest = source.get(at..).unwrap_or("");
        let word = rest.find([' ', '\t', '\n', '\r']).unwrap_or(rest.len());
        if rest.starts_with('!') || !rest.starts_with('&') {
            return Span::new(at, at + word);
        }
        let after = &rest[word..];
        at += word + (after.len() - after.trim_start_matches([' ', '\t']).len());
    }
}

/// The end of `start..end` without the whitespace and line breaks at its end.
fn trim_end(source: &str, start: usize, end: usize) -> usize {
    let text = source.get(start..end.max(start)).unwrap_or("");
    start + text.trim_end().len()
}

/// How many nodes a node holds, itself included.
fn count(node: &Node) -> usize {
    1 + match &node.value {
        Value::Scalar(..) => 0,
        Value::Map(entries) => entries.iter().map(|(k, v)| count(k) + count(v)).sum(),
        Value::List(items) => items.iter().map(count).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text<'a>(source: &'a str, node: &Node) -> &'a str {
        &source[node.span.start..node.span.end]
    }

    #[test]
    fn scalars_point_at_their_text() {
        let source = "a: &x hello\nb: *x\nc: \"quoted\"\nd: |\n  one\n  two\n\ne: >-\n  folded\n";
        let root = read(source).unwrap_or_else(|e| panic!("{}", e.message));
        let get = |k: &str| root.get(k).unwrap_or_else(|| panic!("{k}"));
        assert_eq!(text(source, get("a")), "hello");
        assert_eq!(text(source, get("b")), "*x");
        assert_eq!(get("b").scalar(), Some("hello"));
        assert_eq!(text(source, get("c")), "quoted");
        assert_eq!(text(source, get("d")), "one\n  two");
        assert_eq!(text(source, get("e")), "folded");
    }

    #[test]
    fn flow_style_is_located_item_by_item() {
        let source = "steps: [{name: a, end: {}}, {name: b}]\n";
        let root = read(source).unwrap_or_else(|e| panic!("{}", e.message));
        let steps = root.get("steps").map(Node::items).unwrap_or_default();
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[1].get("name").map(|n| text(source, n)), Some("b"));
        assert_eq!(text(source, &steps[0]), "{name: a, end: {}}");
    }

    #[test]
    fn aliases_that_expand_without_bound_are_refused() {
        let mut source = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            source.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = read(&source).err().map(|e| e.message).unwrap_or_default();
        assert!(err.contains("more than"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let source = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(read(&source).is_err());
    }
}
