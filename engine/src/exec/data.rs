//! The data a command brings (start data, a task's form, a message's data) checked against the
//! fields the process declares, with [`zaak_dsl::value`] as the one strict reader of typed
//! values.

use super::error::{DataProblem, EngineError};
use crate::case::Data;
use chrono::NaiveDate;
use serde_json::Value;
use zaak_dsl::DataField;

/// Checks data given for `fields`: types and allowed values always; `required` and unknown
/// fields as asked.
pub fn validate_data(fields: &[DataField], data: &Data) -> Result<(), EngineError> {
    for (name, value) in data {
        let Some(field) = fields.iter().find(|f| f.name.name == *name) else {
            return Err(EngineError::InvalidData {
                field: name.clone(),
                problem: DataProblem::Unknown,
            });
        };
        check_value(field, value).map_err(|problem| EngineError::InvalidData {
            field: name.clone(),
            problem,
        })?;
    }
    for field in fields.iter().filter(|f| f.required) {
        if data.get(&field.name.name).is_none_or(Value::is_null) {
            return Err(EngineError::InvalidData {
                field: field.name.name.clone(),
                problem: DataProblem::Missing,
            });
        }
    }
    Ok(())
}

pub(super) fn check_value(field: &DataField, value: &Value) -> Result<(), DataProblem> {
    zaak_dsl::value::check(&field.ty, value).map_err(DataProblem::Invalid)
}

/// A `YYYY-MM-DD` date as [`zaak_dsl::value::parse_date`] reads it, everywhere the same.
pub(super) fn parse_date(s: &str) -> Option<NaiveDate> {
    let d = zaak_dsl::value::parse_date(s).ok()?;
    NaiveDate::from_ymd_opt(d.year, d.month, d.day)
}
