-- The notification queue the host application writes to and `notify` drains. The application
-- inserts (channel, recipient, template, params[, due_at]); notify claims due rows (FOR UPDATE
-- SKIP LOCKED, so several hosts drain it at once), renders them, delivers them and records each
-- attempt. A channel notify does not know is kept and marked `rejected` with the reason, never
-- dropped: no CHECK here refuses the application's insert.
CREATE TABLE notification (
    id             bigserial   PRIMARY KEY,
    channel        text        NOT NULL,                 -- email | in_app
    recipient      text        NOT NULL,                 -- an address (email) or the application's user key (in_app)
    template       text        NOT NULL,                 -- templates/notify/<template>_subject|_body.mustache
    params         jsonb       NOT NULL DEFAULT '{}',
    status         text        NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'claimed', 'delivered', 'failed', 'rejected')),
    due_at         timestamptz NOT NULL DEFAULT now(),   -- the next attempt's time after a transient failure
    attempts       integer     NOT NULL DEFAULT 0,
    last_error     text,
    claimed_by     bigint,                               -- the notify run holding it
    claimed_until  timestamptz,                          -- after this a dead run's claim is taken over
    subject        text,                                 -- as rendered (in_app: what the application shows)
    body           text,
    delivered_at   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'delivered') = (delivered_at IS NOT NULL))
);
CREATE INDEX notification_due ON notification (due_at, id) WHERE status = 'queued';
CREATE INDEX notification_claimed ON notification (claimed_until) WHERE status = 'claimed';

CREATE TABLE notification_attempt (
    id               bigserial   PRIMARY KEY,
    notification_id  bigint      NOT NULL REFERENCES notification (id),
    run_id           bigint      NOT NULL,
    attempted_at     timestamptz NOT NULL,
    ok               boolean     NOT NULL,
    error            text
);
CREATE INDEX notification_attempt_notification ON notification_attempt (notification_id);
