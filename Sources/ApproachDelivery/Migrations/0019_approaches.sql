-- Companies' periodic approaches to engineers: who (skills as tags, placement, minimum years),
-- when (daily, weekly on a weekday, monthly on a day; at a local time in the company's zone),
-- what (a subject and body template), and who never (the exclusion list). approach-delivery
-- delivers each due approach once per scheduled time ("period") and records who it went to.
ALTER TABLE engineer
    ADD COLUMN email text,
    ADD COLUMN skills text[] NOT NULL DEFAULT '{}',
    ADD COLUMN experience_years integer NOT NULL DEFAULT 0 CHECK (experience_years >= 0);

CREATE TABLE approach (
    id                bigserial   PRIMARY KEY,
    company_id        bigint      NOT NULL REFERENCES company (id),
    name              text        NOT NULL,
    skills            text[]      NOT NULL DEFAULT '{}',   -- every one required
    placements        text[]      NOT NULL DEFAULT '{waiting,waiting_soon}',
    min_years         integer     NOT NULL DEFAULT 0,
    cadence           text        NOT NULL CHECK (cadence IN ('daily', 'weekly', 'monthly')),
    weekday           integer     CHECK (weekday BETWEEN 0 AND 6),      -- weekly: 0 = Sunday
    month_day         integer     CHECK (month_day BETWEEN 1 AND 31),   -- monthly: past the month's end, its last day
    local_time        time        NOT NULL,
    time_zone         text        NOT NULL DEFAULT 'Asia/Tokyo',
    subject_template  text        NOT NULL,                 -- Mustache: {{engineer_name}}, {{company_name}}, {{approach_name}}
    body_template     text        NOT NULL,
    active            boolean     NOT NULL DEFAULT true,
    next_delivery_at  timestamptz,                          -- NULL: the first scheduled time after created_at
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((cadence = 'weekly') = (weekday IS NOT NULL)),
    CHECK ((cadence = 'monthly') = (month_day IS NOT NULL))
);

CREATE TABLE approach_exclusion (
    approach_id  bigint NOT NULL REFERENCES approach (id),
    engineer_id  bigint NOT NULL REFERENCES engineer (id),
    PRIMARY KEY (approach_id, engineer_id)
);

-- One row per approach and period: the engineers it went to (empty: nothing matched).
CREATE TABLE approach_delivery (
    id           bigserial   PRIMARY KEY,
    approach_id  bigint      NOT NULL REFERENCES approach (id),
    period_at    timestamptz NOT NULL,     -- the scheduled time delivered
    engineers    bigint[]    NOT NULL,
    run_id       bigint      NOT NULL,
    created_at   timestamptz NOT NULL,
    UNIQUE (approach_id, period_at)
);

-- The approach's scheduled times whose local date lies in [from_day, to_day], in its zone. A
-- local time a DST change skips is read with the offset before the change (02:30 on a
-- spring-forward night is 03:30 in summer time); one it repeats, as standard time (PostgreSQL).
CREATE FUNCTION approach_times(a approach, from_day date, to_day date) RETURNS SETOF timestamptz
LANGUAGE sql STABLE AS $$
    SELECT (d::date + a.local_time) AT TIME ZONE a.time_zone
      FROM generate_series(from_day, to_day, interval '1 day') d
     WHERE CASE a.cadence
             WHEN 'daily' THEN true
             WHEN 'weekly' THEN extract(dow FROM d)::int = a.weekday
             ELSE extract(day FROM d)::int
                  = least(a.month_day, extract(day FROM date_trunc('month', d) + interval '1 month - 1 day')::int)
           END
$$;

-- The first scheduled time strictly after `after`.
CREATE FUNCTION approach_next(a approach, after timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT min(t) FROM approach_times(a, (after AT TIME ZONE a.time_zone)::date - 1, (after AT TIME ZONE a.time_zone)::date + 62) t
     WHERE t > after
$$;

-- The last scheduled time at or before `at`.
CREATE FUNCTION approach_previous(a approach, at timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT max(t) FROM approach_times(a, (at AT TIME ZONE a.time_zone)::date - 62, (at AT TIME ZONE a.time_zone)::date + 1) t
     WHERE t <= at
$$;
