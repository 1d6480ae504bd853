-- The range of case ids that have a summary, for reading the summaries range by range.
SELECT min(case_id), max(case_id) FROM case_summaries
