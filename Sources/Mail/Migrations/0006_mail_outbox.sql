-- Every message the suite sends, one row per thing it is about (`invoice:42`, a report, an
-- alert). The Message-ID is fixed before the SMTP conversation starts, so a message whose
-- delivery was interrupted is resent under the same Message-ID, and a sent one never again.
CREATE TABLE mail_outbox (
    id           bigserial PRIMARY KEY,
    about        text    NOT NULL UNIQUE,
    recipient    text    NOT NULL,
    message_id   text    NOT NULL UNIQUE,
    status       text    NOT NULL CHECK (status IN ('pending', 'sent')),
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text,
    sent_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
