-- `nightshift watch`'s alerts: one row per condition while it lasts (an open alert per key), the
-- notices it sent (fired, repeated, recovered) with each channel's delivery, and snoozes.
CREATE TABLE alert (
    id                bigserial   PRIMARY KEY,
    key               text        NOT NULL,              -- e.g. missed:backup, samples_missing
    job               text,                              -- the registry job it is about, if any
    severity          text        NOT NULL CHECK (severity IN ('warning', 'critical')),
    summary           text        NOT NULL,
    opened_at         timestamptz NOT NULL,
    last_seen_at      timestamptz NOT NULL,
    last_notified_at  timestamptz,
    notices           integer     NOT NULL DEFAULT 0,
    closed_at         timestamptz
);
CREATE UNIQUE INDEX alert_open_key ON alert (key) WHERE closed_at IS NULL;
CREATE INDEX alert_recent ON alert (opened_at DESC);

CREATE TABLE alert_notice (
    id              bigserial   PRIMARY KEY,
    alert_id        bigint      NOT NULL REFERENCES alert (id),
    event           text        NOT NULL CHECK (event IN ('fired', 'repeated', 'recovered')),
    subject         text        NOT NULL,
    body            text        NOT NULL,
    created_at      timestamptz NOT NULL,
    -- The webhook's delivery: pending until the receiver answers 2xx (NULL: no webhook set).
    webhook_status  text        CHECK (webhook_status IN ('pending', 'sent')),
    webhook_attempts integer    NOT NULL DEFAULT 0,
    webhook_error   text,
    webhook_sent_at timestamptz
);
CREATE INDEX alert_notice_webhook_pending ON alert_notice (id) WHERE webhook_status = 'pending';

CREATE TABLE alert_snooze (
    job         text        PRIMARY KEY,
    until       timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
