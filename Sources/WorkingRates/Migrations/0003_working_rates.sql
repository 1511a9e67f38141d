-- Daily attendance and working rates, computed by rate-calc from the status samples.

-- When a sample was stored (database clock), so late data for a computed day is noticed.
ALTER TABLE status_collection ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX status_collection_recorded ON status_collection (business_id, recorded_at);

-- Per cast and business day (the local date on which the opening window starts).
CREATE TABLE status_history (
    id                   bigserial PRIMARY KEY,
    cast_id              bigint  NOT NULL REFERENCES "cast" (id),
    business_id          bigint  NOT NULL REFERENCES business (id),
    business_day         date    NOT NULL,
    samples              integer NOT NULL,   -- the business's successful slots inside the window
    on_shift_samples     integer NOT NULL,   -- seen available or busy
    busy_samples         integer NOT NULL,
    attendance_rate      numeric(7, 6) NOT NULL,  -- on_shift / samples
    working_rate         numeric(7, 6),           -- busy / on_shift; NULL when never on shift
    first_on_shift_slot  timestamptz,
    last_on_shift_slot   timestamptz,
    run_id               bigint  NOT NULL REFERENCES batch_runs (id),
    computed_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (cast_id, business_day),
    CHECK (on_shift_samples <= samples AND busy_samples <= on_shift_samples)
);
CREATE INDEX status_history_business_day ON status_history (business_id, business_day);

-- Per business and business day.
CREATE TABLE business_daily (
    business_id          bigint  NOT NULL REFERENCES business (id),
    business_day         date    NOT NULL,
    window_start         timestamptz NOT NULL,
    window_end           timestamptz NOT NULL,
    expected_slots       integer NOT NULL,
    ok_slots             integer NOT NULL,
    coverage             numeric(7, 6) NOT NULL,  -- ok_slots / expected_slots
    casts_seen           integer NOT NULL,
    casts_on_shift       integer NOT NULL,
    avg_attendance_rate  numeric(7, 6),           -- mean over casts on shift
    avg_working_rate     numeric(7, 6),           -- mean over casts on shift
    peak_on_shift        integer NOT NULL,        -- most casts on shift in one slot
    run_id               bigint  NOT NULL REFERENCES batch_runs (id),
    computed_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (business_id, business_day)
);

-- The opening window of a business day as instants: local open time on `day` to local close
-- time, on the next day when it closes at or before it opens. DST is resolved by the zone.
CREATE FUNCTION business_window(day date, open_time time, close_time time, time_zone text,
                                OUT opens timestamptz, OUT closes timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT (day + open_time) AT TIME ZONE time_zone,
           (day + close_time + CASE WHEN close_time <= open_time THEN interval '1 day' ELSE interval '0' END)
               AT TIME ZONE time_zone
$$;

-- The windows of several business days of one business (inlined by the planner).
CREATE FUNCTION business_day_windows(bigint, date[])
RETURNS TABLE (business_day date, opens timestamptz, closes timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT d, w.opens, w.closes
      FROM business b
     CROSS JOIN unnest($2) AS d
     CROSS JOIN LATERAL business_window(d, b.open_time, b.close_time, b.time_zone) w
     WHERE b.id = $1
$$;
