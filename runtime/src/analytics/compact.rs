//! A compact binary form of [`CaseHistory`], in which the store keeps closed cases for the
//! figures (`case_summaries.doc`).
//!
//! A report over a hundred thousand closed cases reads every one of them, so their stored form
//! decides how fast it answers. JSON with field names and RFC 3339 times took about 600 bytes
//! and several microseconds per case to parse; this form takes about a quarter of the bytes and
//! decodes without a parser: lengths and numbers are LEB128 varints, every time is a signed
//! distance in nanoseconds from the case's start (zigzag-encoded, so a few bytes each), dates
//! are days since 1970, and every name (process, status, step, team, worker, result) is its
//! number in a [`Dictionary`] the store keeps beside the records, so a name costs a byte or two
//! and decoding it allocates nothing.
//!
//! Records are self-delimiting (a length, then the body), so the store can hand back many of
//! them concatenated in one value and [`decode_all`] splits them again. The body's first byte
//! is its format; [`FORMAT`] is the only one so far, and a record of another format is an error
//! rather than a guess, so a later format can be introduced next to this one.
//!
//! Body, in order: format; reference (a string); process (a name); version; start (nanoseconds
//! since 1970); a byte of flags (ended, result, deadline, target, historical); the end, result,
//! deadline and target where flagged; suspensions (count, then from and optional to); statuses
//! (count, then name and when); tasks (count, then step, optional team, optional worker,
//! created, optional claimed, optional completed). A name is its number; an optional name is its
//! number plus one, 0 for none; an optional time is a flag byte before the distance.

use super::{CaseHistory, Name, TaskSpan};
use chrono::{DateTime, NaiveDate, Utc};
use foldhash::HashMap;

/// The format byte of records written now.
pub const FORMAT: u8 = 1;

const ENDED: u8 = 1;
const RESULT: u8 = 2;
const DEADLINE: u8 = 4;
const TARGET: u8 = 8;
const HISTORICAL: u8 = 16;

/// What is wrong with bytes that should hold records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("case summary at byte {offset}: {what}")]
pub struct DecodeError {
    pub offset: usize,
    pub what: &'static str,
}

/// The numbers of the names records hold. A store only ever adds to it, so every record
/// written with it can be read with any later state of it.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    ids: HashMap<Name, u64>,
    names: HashMap<u64, Name>,
}

impl Dictionary {
    /// Records that `name` has number `id`.
    pub fn insert(&mut self, id: u64, name: &str) {
        let name: Name = name.into();
        self.ids.insert(name.clone(), id);
        self.names.insert(id, name);
    }

    pub fn id(&self, name: &str) -> Option<u64> {
        self.ids.get(name).copied()
    }

    pub fn name(&self, id: u64) -> Option<&Name> {
        self.names.get(&id)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// A copy with allocations of its own for every name. Threads that decode at the same
    /// time each take one: otherwise every case they build counts its references to the same
    /// few names, and the cores pass those counters back and forth (100,000 cases on two
    /// threads: 126 ms with shared names, 95 ms with a copy each; `cargo bench -p zaak-runtime
    /// --bench report -- two_threads`).
    pub fn detached(&self) -> Dictionary {
        let mut copy = Dictionary::default();
        for (id, name) in &self.names {
            copy.insert(*id, name);
        }
        copy
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Every name the record of `case` holds, once or more.
pub fn names(case: &CaseHistory) -> impl Iterator<Item = &str> {
    std::iter::once(&*case.process)
        .chain(case.result.as_deref())
        .chain(case.statuses.iter().map(|(s, _)| &**s))
        .chain(case.tasks.iter().flat_map(|t| {
            std::iter::once(&*t.step)
                .chain(t.team.as_deref())
                .chain(t.worker.as_deref())
        }))
}

/// Appends the record of `case` to `out`. None (and `out` unchanged) when a time lies outside
/// what nanoseconds since 1970 hold (before 1677 or after 2262), or when `dictionary` lacks one
/// of its names: such a case is kept only in its rows.
pub fn encode(case: &CaseHistory, dictionary: &Dictionary, out: &mut Vec<u8>) -> Option<()> {
    let name = |body: &mut Vec<u8>, name: &str| -> Option<()> {
        varint(body, dictionary.id(name)?);
        Some(())
    };
    let optional_name = |body: &mut Vec<u8>, name: Option<&str>| -> Option<()> {
        match name {
            Some(name) => varint(body, dictionary.id(name)?.checked_add(1)?),
            None => body.push(0),
        }
        Some(())
    };
    let mut body = Vec::with_capacity(128);
    body.push(FORMAT);
    string(&mut body, &case.reference);
    name(&mut body, &case.process)?;
    varint(&mut body, u64::from(case.version));
    let start = case.started.timestamp_nanos_opt()?;
    varint(&mut body, zigzag(start));
    let since = |t: DateTime<Utc>| Some(zigzag(t.timestamp_nanos_opt()?.checked_sub(start)?));
    let mut flags = 0;
    for (set, flag) in [
        (case.ended.is_some(), ENDED),
        (case.result.is_some(), RESULT),
        (case.deadline.is_some(), DEADLINE),
        (case.target.is_some(), TARGET),
        (case.historical, HISTORICAL),
    ] {
        if set {
            flags |= flag;
        }
    }
    body.push(flags);
    if let Some(ended) = case.ended {
        varint(&mut body, since(ended)?);
    }
    if let Some(result) = &case.result {
        name(&mut body, result)?;
    }
    for date in [case.deadline, case.target].into_iter().flatten() {
        varint(&mut body, zigzag(days(date)));
    }
    varint(&mut body, case.suspensions.len() as u64);
    for (from, to) in &case.suspensions {
        varint(&mut body, since(*from)?);
        optional_time(
            &mut body,
            to.map(since).map_or(Some(None), |t| t.map(Some))?,
        );
    }
    varint(&mut body, case.statuses.len() as u64);
    for (status, at) in &case.statuses {
        name(&mut body, status)?;
        varint(&mut body, since(*at)?);
    }
    varint(&mut body, case.tasks.len() as u64);
    for task in &case.tasks {
        name(&mut body, &task.step)?;
        optional_name(&mut body, task.team.as_deref())?;
        optional_name(&mut body, task.worker.as_deref())?;
        varint(&mut body, since(task.created)?);
        for t in [task.claimed, task.completed] {
            optional_time(&mut body, t.map(since).map_or(Some(None), |t| t.map(Some))?);
        }
    }
    varint(out, body.len() as u64);
    out.extend_from_slice(&body);
    Some(())
}

/// The record of one case on its own.
pub fn encode_one(case: &CaseHistory, dictionary: &Dictionary) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    encode(case, dictionary, &mut out)?;
    Some(out)
}

/// Every record in `bytes`, in order, with the names `dictionary` numbers; the cases share the
/// dictionary's allocation of each name.
pub fn decode_all(bytes: &[u8], dictionary: &Dictionary) -> Result<Vec<CaseHistory>, DecodeError> {
    let mut r = Reader {
        bytes,
        at: 0,
        dictionary,
    };
    let mut out = Vec::new();
    while r.at < bytes.len() {
        r.bytes = bytes;
        let len = r.len()?;
        let end =
            r.at.checked_add(len)
                .filter(|&e| e <= bytes.len())
                .ok_or(DecodeError {
                    offset: r.at,
                    what: "the record runs past the end",
                })?;
        // The record's own bytes only, so that damage inside it cannot read the next one.
        r.bytes = &bytes[..end];
        out.push(r.case()?);
        if r.at != end {
            return Err(r.error("bytes left over after the record"));
        }
    }
    Ok(out)
}

/// `bytes` cut into at most `parts` runs of whole records of about equal size, in order, so
/// that each can be decoded on its own core.
pub fn split(bytes: &[u8], parts: usize) -> Result<Vec<&[u8]>, DecodeError> {
    let target = bytes.len().div_ceil(parts.max(1)).max(1);
    let mut r = Reader {
        bytes,
        at: 0,
        dictionary: &Dictionary::default(),
    };
    let mut out = Vec::new();
    let mut start = 0;
    while r.at < bytes.len() {
        let len = r.len()?;
        r.at =
            r.at.checked_add(len)
                .filter(|&e| e <= bytes.len())
                .ok_or(DecodeError {
                    offset: r.at,
                    what: "the record runs past the end",
                })?;
        if r.at - start >= target {
            out.push(&bytes[start..r.at]);
            start = r.at;
        }
    }
    if start < bytes.len() {
        out.push(&bytes[start..]);
    }
    Ok(out)
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn string(out: &mut Vec<u8>, s: &str) {
    varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn optional_time(out: &mut Vec<u8>, t: Option<u64>) {
    match t {
        Some(t) => {
            out.push(1);
            varint(out, t);
        }
        None => out.push(0),
    }
}

const EPOCH_DAY: i64 = 719_163;

fn days(date: NaiveDate) -> i64 {
    use chrono::Datelike;
    i64::from(date.num_days_from_ce()) - EPOCH_DAY
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    dictionary: &'a Dictionary,
}

impl<'a> Reader<'a> {
    fn error(&self, what: &'static str) -> DecodeError {
        DecodeError {
            offset: self.at,
            what,
        }
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| self.error("the record ends early"))?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.error("a number longer than 64 bits"))
    }

    fn len(&mut self) -> Result<usize, DecodeError> {
        usize::try_from(self.varint()?).map_err(|_| self.error("a length too large"))
    }

    fn str(&mut self, len: usize) -> Result<&'a str, DecodeError> {
        let bytes = self.bytes;
        let end = self
            .at
            .checked_add(len)
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| self.error("a string runs past the record"))?;
        let s = std::str::from_utf8(&bytes[self.at..end])
            .map_err(|_| self.error("a string is not UTF-8"))?;
        self.at = end;
        Ok(s)
    }

    fn string(&mut self) -> Result<String, DecodeError> {
        let len = self.len()?;
        self.str(len).map(str::to_string)
    }

    fn named(&mut self, id: u64) -> Result<Name, DecodeError> {
        self.dictionary
            .name(id)
            .cloned()
            .ok_or_else(|| self.error("a name number the dictionary lacks"))
    }

    fn name(&mut self) -> Result<Name, DecodeError> {
        let id = self.varint()?;
        self.named(id)
    }

    fn optional_name(&mut self) -> Result<Option<Name>, DecodeError> {
        match self.varint()? {
            0 => Ok(None),
            n => self.named(n - 1).map(Some),
        }
    }

    fn time(&mut self, start: i64) -> Result<DateTime<Utc>, DecodeError> {
        let at = start
            .checked_add(unzigzag(self.varint()?))
            .ok_or_else(|| self.error("a time out of range"))?;
        Ok(DateTime::from_timestamp_nanos(at))
    }

    fn optional_time(&mut self, start: i64) -> Result<Option<DateTime<Utc>>, DecodeError> {
        match self.byte()? {
            0 => Ok(None),
            1 => self.time(start).map(Some),
            _ => Err(self.error("an optional time's flag is neither 0 nor 1")),
        }
    }

    fn date(&mut self) -> Result<NaiveDate, DecodeError> {
        let days = unzigzag(self.varint()?);
        i32::try_from(days + EPOCH_DAY)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .ok_or_else(|| self.error("a date out of range"))
    }

    fn count(&mut self) -> Result<usize, DecodeError> {
        let n = self.len()?;
        // Every element takes at least one byte: a larger count is damage, not a case, and
        // must not reserve memory for it.
        if n > self.bytes.len() - self.at {
            return Err(self.error("a count larger than the record"));
        }
        Ok(n)
    }

    fn case(&mut self) -> Result<CaseHistory, DecodeError> {
        if self.byte()? != FORMAT {
            return Err(DecodeError {
                offset: self.at - 1,
                what: "an unknown record format",
            });
        }
        let reference = self.string()?;
        let process = self.name()?;
        let version =
            u32::try_from(self.varint()?).map_err(|_| self.error("a version too large"))?;
        let start = unzigzag(self.varint()?);
        let flags = self.byte()?;
        if flags & !(ENDED | RESULT | DEADLINE | TARGET | HISTORICAL) != 0 {
            return Err(self.error("unknown flags"));
        }
        let ended = (flags & ENDED != 0).then(|| self.time(start)).transpose()?;
        let result = (flags & RESULT != 0).then(|| self.name()).transpose()?;
        let deadline = (flags & DEADLINE != 0).then(|| self.date()).transpose()?;
        let target = (flags & TARGET != 0).then(|| self.date()).transpose()?;
        let n = self.count()?;
        let mut suspensions = Vec::with_capacity(n);
        for _ in 0..n {
            suspensions.push((self.time(start)?, self.optional_time(start)?));
        }
        let n = self.count()?;
        let mut statuses = Vec::with_capacity(n);
        for _ in 0..n {
            statuses.push((self.name()?, self.time(start)?));
        }
        let n = self.count()?;
        let mut tasks = Vec::with_capacity(n);
        for _ in 0..n {
            tasks.push(TaskSpan {
                step: self.name()?,
                team: self.optional_name()?,
                worker: self.optional_name()?,
                created: self.time(start)?,
                claimed: self.optional_time(start)?,
                completed: self.optional_time(start)?,
            });
        }
        Ok(CaseHistory {
            reference,
            process,
            version,
            started: DateTime::from_timestamp_nanos(start),
            ended,
            result,
            deadline,
            target,
            suspensions,
            statuses,
            tasks,
            historical: flags & HISTORICAL != 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap() + chrono::Duration::nanoseconds(123)
    }

    fn sample() -> CaseHistory {
        CaseHistory {
            reference: "ZAAK-2026-000001".into(),
            process: "klacht".into(),
            version: 3,
            started: at(2, 9),
            ended: Some(at(20, 17)),
            result: Some("gegrond".into()),
            deadline: NaiveDate::from_ymd_opt(2026, 4, 13),
            target: None,
            suspensions: vec![(at(5, 0), Some(at(9, 0))), (at(12, 0), None)],
            statuses: vec![
                ("ontvangen".into(), at(2, 9)),
                ("afgehandeld".into(), at(20, 17)),
            ],
            tasks: vec![
                TaskSpan {
                    step: "beoordelen".into(),
                    team: Some("klachten".into()),
                    worker: None,
                    created: at(2, 9),
                    claimed: Some(at(3, 10)),
                    completed: None,
                },
                TaskSpan {
                    step: "ëxtra".into(),
                    team: None,
                    worker: Some("jan".into()),
                    // Before the start: imported logs have such events.
                    created: at(1, 9),
                    claimed: None,
                    completed: Some(at(4, 10)),
                },
            ],
            historical: true,
        }
    }

    fn dictionary_of(cases: &[&CaseHistory]) -> Dictionary {
        let mut d = Dictionary::default();
        for case in cases {
            for name in names(case) {
                if d.id(name).is_none() {
                    // Numbers need not be dense: a store's sequence may skip some.
                    d.insert(d.len() as u64 * 3 + 200, name);
                }
            }
        }
        d
    }

    #[test]
    fn records_decode_to_what_was_encoded() {
        let a = sample();
        let mut b = sample();
        b.ended = None;
        b.result = None;
        b.deadline = None;
        b.target = NaiveDate::from_ymd_opt(1969, 12, 31);
        b.historical = false;
        b.tasks.clear();
        let d = dictionary_of(&[&a, &b]);
        let mut bytes = Vec::new();
        encode(&a, &d, &mut bytes).unwrap();
        encode(&b, &d, &mut bytes).unwrap();
        let decoded = decode_all(&bytes, &d).unwrap();
        assert_eq!(decoded, vec![a, b]);
        // One allocation per name, shared by both cases.
        assert!(std::sync::Arc::ptr_eq(
            &decoded[0].process,
            &decoded[1].process
        ));
    }

    #[test]
    fn a_name_without_a_number_is_not_encoded_nor_decoded() {
        let case = sample();
        let mut partial = dictionary_of(&[&case]);
        let mut out = vec![7];
        let mut smaller = Dictionary::default();
        for name in names(&case).filter(|n| *n != "jan") {
            smaller.insert(partial.id(name).unwrap(), name);
        }
        assert_eq!(encode(&case, &smaller, &mut out), None);
        assert_eq!(out, vec![7]);
        let bytes = encode_one(&case, &partial).unwrap();
        partial = smaller;
        assert_eq!(
            decode_all(&bytes, &partial).unwrap_err().what,
            "a name number the dictionary lacks"
        );
    }

    #[test]
    fn splits_fall_between_records() {
        let cases: Vec<CaseHistory> = (0..10)
            .map(|i| {
                let mut c = sample();
                c.reference = format!("ZAAK-{i}");
                c
            })
            .collect();
        let refs: Vec<&CaseHistory> = cases.iter().collect();
        let d = dictionary_of(&refs);
        let mut bytes = Vec::new();
        for c in &cases {
            encode(c, &d, &mut bytes).unwrap();
        }
        for parts in 1..=12 {
            let runs = split(&bytes, parts).unwrap();
            assert!(runs.len() <= parts.min(10), "{parts} parts: {}", runs.len());
            let decoded: Vec<CaseHistory> = runs
                .iter()
                .flat_map(|run| decode_all(run, &d).unwrap())
                .collect();
            assert_eq!(decoded, cases, "{parts} parts");
        }
        assert!(split(&bytes[..bytes.len() - 1], 2).is_err());
        assert!(split(&[], 2).unwrap().is_empty());
    }

    #[test]
    fn damaged_records_are_errors_not_panics() {
        let case = sample();
        let d = dictionary_of(&[&case]);
        let bytes = encode_one(&case, &d).unwrap();
        for cut in 1..bytes.len() {
            assert!(decode_all(&bytes[..cut], &d).is_err(), "cut at {cut}");
        }
        // The format byte follows the record's length.
        let format_at = bytes.iter().position(|b| b & 0x80 == 0).unwrap() + 1;
        let mut wrong = bytes.clone();
        wrong[format_at] = 9;
        assert_eq!(
            decode_all(&wrong, &d).unwrap_err().what,
            "an unknown record format"
        );
        for i in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0xff;
            let _ = decode_all(&flipped, &d);
        }
    }

    #[test]
    fn times_outside_nanosecond_range_are_not_encoded() {
        let mut case = sample();
        case.ended = Some(Utc.with_ymd_and_hms(2300, 1, 1, 0, 0, 0).unwrap());
        let d = dictionary_of(&[&case]);
        let mut out = vec![7];
        assert_eq!(encode(&case, &d, &mut out), None);
        assert_eq!(out, vec![7]);
    }
}
