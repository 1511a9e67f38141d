-- History rows of those days the recomputation did not produce. $1 business, $2 days, $3 run id.
DELETE FROM status_history
 WHERE business_id = $1::int8 AND business_day = ANY ($2::date[]) AND run_id <> $3::int8
