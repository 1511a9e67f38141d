-- `status` and `status_collection` partitioned by month of `slot` (calendar months in UTC, so a
-- bound never depends on a session's time zone), converted in place with their rows, ids and
-- keys: the primary keys become (id, slot) — a partitioned table's unique keys must hold its
-- partition key — and (cast_id, slot), (business_id, slot) stay unique. The collector's upserts
-- are unchanged. `maintenance` keeps months ahead created; a default partition catches a slot no
-- month partition covers, and maintenance reports it when it holds rows.

-- Creates `<parent>_pYYYY_MM` for the month starting `month` unless it exists; rows the default
-- partition caught for that month move into it. Returns the name created, NULL when it existed.
CREATE FUNCTION nightshift_month_partition(parent regclass, month date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    base text := (SELECT relname FROM pg_class WHERE oid = parent);
    name text := format('%s_p%s', base, to_char(month, 'YYYY_MM'));
    low timestamptz := date_trunc('month', month)::timestamp AT TIME ZONE 'UTC';
    high timestamptz := (date_trunc('month', month) + interval '1 month')::timestamp AT TIME ZONE 'UTC';
BEGIN
    IF to_regclass(quote_ident(name)) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', name, parent);
    IF to_regclass(quote_ident(base || '_default')) IS NOT NULL THEN
        EXECUTE format('WITH moved AS (DELETE FROM %I WHERE slot >= $1 AND slot < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
                       base || '_default', name) USING low, high;
    END IF;
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, name, low, high);
    RETURN name;
END $$;

-- The month partitions from the first month with rows (or this month) to three months ahead.
CREATE FUNCTION nightshift_partition_months(first_slot timestamptz) RETURNS SETOF date
LANGUAGE sql STABLE AS $$
    SELECT generate_series(date_trunc('month', coalesce(first_slot, now()) AT TIME ZONE 'UTC'),
                           date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months', interval '1 month')::date
$$;

ALTER TABLE status RENAME TO status_unpartitioned;
ALTER SEQUENCE status_id_seq OWNED BY NONE;
CREATE TABLE status (
    id           bigint      NOT NULL DEFAULT nextval('status_id_seq'),
    cast_id      bigint      NOT NULL,
    business_id  bigint      NOT NULL,
    slot         timestamptz NOT NULL,
    status       text        NOT NULL CHECK (status IN ('available', 'busy', 'scheduled', 'finished', 'off', 'unknown')),
    raw_status   text        NOT NULL
) PARTITION BY RANGE (slot);
ALTER SEQUENCE status_id_seq OWNED BY status.id;
SELECT nightshift_month_partition('status', m) FROM nightshift_partition_months((SELECT min(slot) FROM status_unpartitioned)) m;
CREATE TABLE status_default PARTITION OF status DEFAULT;
INSERT INTO status (id, cast_id, business_id, slot, status, raw_status)
SELECT id, cast_id, business_id, slot, status, raw_status FROM status_unpartitioned;
DROP TABLE status_unpartitioned;
ALTER TABLE status ADD CONSTRAINT status_pkey PRIMARY KEY (id, slot);
ALTER TABLE status ADD CONSTRAINT status_cast_id_slot_key UNIQUE (cast_id, slot);
CREATE INDEX status_business_slot ON status (business_id, slot);
-- Foreign keys after the copy: checked by one join instead of a trigger per copied row.
ALTER TABLE status ADD FOREIGN KEY (cast_id) REFERENCES "cast" (id), ADD FOREIGN KEY (business_id) REFERENCES business (id);

ALTER TABLE status_collection RENAME TO status_collection_unpartitioned;
ALTER SEQUENCE status_collection_id_seq OWNED BY NONE;
CREATE TABLE status_collection (
    id            bigint      NOT NULL DEFAULT nextval('status_collection_id_seq'),
    business_id   bigint      NOT NULL,
    run_id        bigint      NOT NULL,
    slot          timestamptz NOT NULL,          -- start of the collection interval
    collected_at  timestamptz NOT NULL,
    ok            boolean     NOT NULL,
    casts_seen    integer     NOT NULL DEFAULT 0,
    unknown_statuses integer  NOT NULL DEFAULT 0,
    pages         integer     NOT NULL DEFAULT 0,
    http_status   integer,
    duration_ms   integer     NOT NULL DEFAULT 0,
    error         text,
    recorded_at   timestamptz NOT NULL DEFAULT now()
) PARTITION BY RANGE (slot);
ALTER SEQUENCE status_collection_id_seq OWNED BY status_collection.id;
SELECT nightshift_month_partition('status_collection', m)
  FROM nightshift_partition_months((SELECT min(slot) FROM status_collection_unpartitioned)) m;
CREATE TABLE status_collection_default PARTITION OF status_collection DEFAULT;
INSERT INTO status_collection (id, business_id, run_id, slot, collected_at, ok, casts_seen, unknown_statuses, pages,
                               http_status, duration_ms, error, recorded_at)
SELECT id, business_id, run_id, slot, collected_at, ok, casts_seen, unknown_statuses, pages, http_status, duration_ms, error, recorded_at
  FROM status_collection_unpartitioned;
DROP TABLE status_collection_unpartitioned;
ALTER TABLE status_collection ADD CONSTRAINT status_collection_pkey PRIMARY KEY (id, slot);
ALTER TABLE status_collection ADD CONSTRAINT status_collection_business_id_slot_key UNIQUE (business_id, slot);
CREATE INDEX status_collection_recorded ON status_collection (business_id, recorded_at);
ALTER TABLE status_collection ADD FOREIGN KEY (business_id) REFERENCES business (id),
                              ADD FOREIGN KEY (run_id) REFERENCES batch_runs (id);
