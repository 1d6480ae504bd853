-- Every name the summaries number (see `summary_names` in the migrations), to read or write them.
SELECT id, name FROM summary_names
