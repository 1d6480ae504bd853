//! Input as front ends receive it, read into the values the engine takes without losing a
//! digit: the data of a start, a form or a message arrives as the JSON text of each field and is
//! read by [`zaak_dsl::value::parse_json`], the one reader of typed values. Whether each value
//! fits its field (type, choice, required, known) is the engine's check, made once.

use crate::error::{AppError, AppResult};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::str::FromStr;
use zaak_engine::case::Data;

/// Case data as sent: each field's value as its JSON text.
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct RawData(pub BTreeMap<String, Box<RawValue>>);

impl RawData {
    /// Data already read (by a client that builds values itself), as sent.
    pub fn from_data(data: &Data) -> RawData {
        RawData(
            data.iter()
                .filter_map(|(k, v)| {
                    RawValue::from_string(v.to_string())
                        .ok()
                        .map(|raw| (k.clone(), raw))
                })
                .collect(),
        )
    }

    /// Reads every field, naming the first one that is not a value (`data.aantal`).
    pub(crate) fn read(&self, prefix: &str) -> AppResult<Data> {
        let mut out = Data::new();
        for (name, raw) in &self.0 {
            let value = zaak_dsl::value::parse_json(raw.get()).map_err(|e| {
                AppError::invalid(format!("{prefix}.{name}"), format!("`{name}`: {e}"))
            })?;
            out.insert(name.clone(), value);
        }
        Ok(out)
    }
}

/// A reason a person gives (for a suspension, an extension, an assignment): required, and
/// kept without the blanks around it.
pub(crate) fn reason(text: &str) -> AppResult<String> {
    let reason = text.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "give a reason"));
    }
    Ok(reason.to_string())
}

/// How a case is named: by its number in this database or by its reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseKey {
    Id(i64),
    Reference(String),
}

impl FromStr for CaseKey {
    type Err = AppError;

    /// `42` is a case id; `ZAAK-2026-000001` a reference.
    fn from_str(s: &str) -> AppResult<CaseKey> {
        let s = s.trim();
        if let Ok(id) = s.parse::<i64>() {
            return Ok(CaseKey::Id(id));
        }
        if !s.is_empty()
            && s.len() <= 64
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Ok(CaseKey::Reference(s.to_string()));
        }
        Err(AppError::not_found(
            "unknown_case",
            format!("`{s}` is neither a case number nor a reference"),
        ))
    }
}

impl std::fmt::Display for CaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaseKey::Id(id) => write!(f, "{id}"),
            CaseKey::Reference(r) => f.write_str(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_read_without_losing_digits_and_names_the_field() {
        let raw: RawData = serde_json::from_str(
            r#"{"bedrag": 12.50, "naam": "Jan", "groot": 99999999999999999999999999}"#,
        )
        .unwrap();
        let e = raw.read("data").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("data.groot"));
        assert!(e.message.contains("more digits"), "{e}");
        let raw: RawData = serde_json::from_str(r#"{"bedrag": 12.50, "naam": "Jan"}"#).unwrap();
        let data = raw.read("data").unwrap();
        assert_eq!(data["bedrag"], serde_json::json!(12.5));
        assert_eq!(RawData::from_data(&data).read("data").unwrap(), data);
    }

    #[test]
    fn cases_are_named_by_number_or_reference() {
        assert_eq!("42".parse::<CaseKey>().unwrap(), CaseKey::Id(42));
        assert_eq!(
            "ZAAK-2026-000001".parse::<CaseKey>().unwrap(),
            CaseKey::Reference("ZAAK-2026-000001".into())
        );
        assert!("a/b".parse::<CaseKey>().is_err());
        assert!(reason("  ").is_err());
        assert_eq!(reason(" drukte ").unwrap(), "drukte");
    }
}
