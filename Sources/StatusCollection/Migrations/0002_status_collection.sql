-- Businesses, their casts, and the 30-minute status samples collected from their listing pages.
CREATE TABLE business (
    id           bigserial PRIMARY KEY,
    name         text    NOT NULL,
    site         text    NOT NULL,               -- site adapter: cityheaven, dto, or a site definition's name
    listing_url  text    NOT NULL,
    time_zone    text    NOT NULL DEFAULT 'Asia/Tokyo'
                 CHECK (timezone(time_zone, timestamptz '2000-01-01 00:00+00') IS NOT NULL),  -- rejects unknown zones
    open_time    time    NOT NULL,               -- local opening time
    close_time   time    NOT NULL,               -- local closing time; <= open_time means it closes the next day
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (site, listing_url)
);

CREATE TABLE "cast" (
    id             bigserial PRIMARY KEY,
    business_id    bigint NOT NULL REFERENCES business (id),
    site_cast_id   text   NOT NULL,              -- the site's own id for the cast
    name           text   NOT NULL,
    first_seen_at  timestamptz NOT NULL,
    last_seen_at   timestamptz NOT NULL,
    UNIQUE (business_id, site_cast_id)
);

CREATE TABLE status_collection (
    id            bigserial PRIMARY KEY,
    business_id   bigint      NOT NULL REFERENCES business (id),
    run_id        bigint      NOT NULL REFERENCES batch_runs (id),
    slot          timestamptz NOT NULL,          -- start of the collection interval
    collected_at  timestamptz NOT NULL,
    ok            boolean     NOT NULL,
    casts_seen    integer     NOT NULL DEFAULT 0,
    unknown_statuses integer  NOT NULL DEFAULT 0,
    pages         integer     NOT NULL DEFAULT 0,
    http_status   integer,
    duration_ms   integer     NOT NULL DEFAULT 0,
    error         text,
    UNIQUE (business_id, slot)
);

CREATE TABLE status (
    id           bigserial PRIMARY KEY,
    cast_id      bigint      NOT NULL REFERENCES "cast" (id),
    business_id  bigint      NOT NULL REFERENCES business (id),
    slot         timestamptz NOT NULL,
    status       text        NOT NULL CHECK (status IN ('available', 'busy', 'scheduled', 'finished', 'off', 'unknown')),
    raw_status   text        NOT NULL,
    UNIQUE (cast_id, slot)
);
CREATE INDEX status_business_slot ON status (business_id, slot);
