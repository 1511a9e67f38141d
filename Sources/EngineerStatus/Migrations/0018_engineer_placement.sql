-- Engineers' placement on projects, a second dimension beside the billing status
-- (`engineer.status` active/inactive stays as it is): `working`, `waiting_soon` (the current
-- project's planned end is near), `waiting`. engineer-status keeps it current every night and
-- records every change with its reason, so a company can see why.
ALTER TABLE engineer
    ADD COLUMN placement text NOT NULL DEFAULT 'waiting' CHECK (placement IN ('working', 'waiting_soon', 'waiting')),
    ADD COLUMN placement_changed_at timestamptz;

CREATE TABLE project_assignment (
    id                bigserial PRIMARY KEY,
    engineer_id       bigint NOT NULL REFERENCES engineer (id),
    project_name      text   NOT NULL,
    start_date        date   NOT NULL,
    planned_end_date  date,                -- NULL: open-ended
    actual_end_date   date,                -- set when it ended (early or late)
    CHECK (planned_end_date IS NULL OR planned_end_date >= start_date),
    CHECK (actual_end_date IS NULL OR actual_end_date >= start_date)
);
CREATE INDEX project_assignment_engineer ON project_assignment (engineer_id, start_date);

CREATE TABLE engineer_status_change (
    id           bigserial   PRIMARY KEY,
    engineer_id  bigint      NOT NULL REFERENCES engineer (id),
    from_status  text        NOT NULL,
    to_status    text        NOT NULL,
    reason       text        NOT NULL,
    run_id       bigint      NOT NULL,
    changed_at   timestamptz NOT NULL
);
CREATE INDEX engineer_status_change_engineer ON engineer_status_change (engineer_id, changed_at);
