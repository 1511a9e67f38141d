-- monthly-report: one row per report (kind, subject, month), made exactly once. `figures` holds
-- the numbers the PDF and CSV show (counts and the sums behind averages: rates are exact ratios,
-- rounded only for display); `inputs_hash` what they were computed from.
CREATE TABLE report (
    id           bigserial PRIMARY KEY,
    kind         text    NOT NULL CHECK (kind IN ('company', 'business', 'operator')),
    subject_id   bigint  NOT NULL,             -- the company or business; 0 for the operator's report
    month        date    NOT NULL CHECK (extract(day FROM month) = 1),
    figures      jsonb   NOT NULL,
    inputs_hash  text    NOT NULL,
    pdf_path     text,
    pdf_sha256   text,
    csv_path     text,
    rendered_at  timestamptz,
    run_id       bigint  NOT NULL REFERENCES batch_runs (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, subject_id, month)
);

-- Where a business's monthly working-rate report is mailed (none: the report is only filed).
ALTER TABLE business ADD COLUMN report_email text;
