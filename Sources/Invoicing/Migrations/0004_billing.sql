-- The service's own data that invoices are computed from, the daily usage aggregate, invoices
-- and their mail deliveries. Money is integer yen (bigint) everywhere.

CREATE TABLE company (
    id             bigserial PRIMARY KEY,
    name           text        NOT NULL,
    billing_email  text        NOT NULL,
    postal_code    text        NOT NULL DEFAULT '',
    address        text        NOT NULL DEFAULT '',
    active         boolean     NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- A user exists from created_at until deleted_at (exclusive).
CREATE TABLE app_user (
    id          bigserial PRIMARY KEY,
    company_id  bigint      NOT NULL REFERENCES company (id),
    email       text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    CHECK (deleted_at IS NULL OR deleted_at >= created_at)
);
CREATE INDEX app_user_company ON app_user (company_id);

-- An engineer registered by a company; counted from created_at until deleted_at, active when
-- its status is 'active'.
CREATE TABLE engineer (
    id          bigserial PRIMARY KEY,
    company_id  bigint      NOT NULL REFERENCES company (id),
    name        text        NOT NULL,
    status      text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    CHECK (deleted_at IS NULL OR deleted_at >= created_at)
);
CREATE INDEX engineer_company ON engineer (company_id);

-- What users did: the counts of usage_log come from here.
CREATE TABLE activity_event (
    id           bigserial PRIMARY KEY,
    company_id   bigint      NOT NULL REFERENCES company (id),
    user_id      bigint      REFERENCES app_user (id),
    kind         text        NOT NULL CHECK (kind IN ('login', 'approach', 'email_sent', 'api_call')),
    occurred_at  timestamptz NOT NULL
);
CREATE INDEX activity_event_company_time ON activity_event (company_id, occurred_at);

-- Files a company stores; present from created_at until deleted_at.
CREATE TABLE stored_file (
    id          bigserial PRIMARY KEY,
    company_id  bigint      NOT NULL REFERENCES company (id),
    name        text        NOT NULL,
    size_bytes  bigint      NOT NULL CHECK (size_bytes >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz
);
CREATE INDEX stored_file_company ON stored_file (company_id);

-- Prices are validated by `invoice` rather than by CHECKs here, so that a mistyped plan fails
-- only the invoices that use it, loudly, instead of surfacing elsewhere.
CREATE TABLE contract_plan (
    id                      bigserial PRIMARY KEY,
    name                    text    NOT NULL UNIQUE,
    base_price_yen          bigint  NOT NULL,
    included_users          integer NOT NULL,
    price_per_user_yen      bigint  NOT NULL,
    included_engineers      integer NOT NULL,
    price_per_engineer_yen  bigint  NOT NULL
);

-- A contract is billed for a month when it is active on the month's last day. plan_id is NULL
-- while a contract is still being set up (such a contract cannot be billed: an item failure).
CREATE TABLE contract (
    id          bigserial PRIMARY KEY,
    company_id  bigint NOT NULL REFERENCES company (id),
    plan_id     bigint REFERENCES contract_plan (id),
    starts_on   date   NOT NULL,
    ends_on     date,
    status      text   NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'cancelled')),
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX contract_company ON contract (company_id);

-- One row per company and local day, and one system-wide row per day (company_id NULL).
CREATE TABLE usage_log (
    company_id        bigint REFERENCES company (id),
    usage_date        date    NOT NULL,
    total_users       integer NOT NULL,
    active_users      integer NOT NULL,
    total_engineers   integer NOT NULL,
    active_engineers  integer NOT NULL,
    approaches        integer NOT NULL,
    emails_sent       integer NOT NULL,
    logins            integer NOT NULL,
    api_calls         integer NOT NULL,
    storage_mb        bigint  NOT NULL,   -- bytes stored at the day's end, in MiB rounded up
    run_id            bigint  NOT NULL REFERENCES batch_runs (id),
    computed_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT usage_log_company_day UNIQUE NULLS NOT DISTINCT (company_id, usage_date)
);
CREATE INDEX usage_log_day ON usage_log (usage_date);

CREATE TABLE invoice (
    id                     bigserial PRIMARY KEY,
    invoice_number         text    NOT NULL UNIQUE,
    contract_id            bigint  NOT NULL REFERENCES contract (id),
    company_id             bigint  NOT NULL REFERENCES company (id),
    billing_month          date    NOT NULL CHECK (extract(day FROM billing_month) = 1),
    period_start           date    NOT NULL,
    period_end             date    NOT NULL,
    issue_date             date    NOT NULL,
    due_date               date    NOT NULL,
    -- Copies taken when the invoice was created, so a re-render shows exactly what was issued.
    recipient_name         text    NOT NULL,
    recipient_postal_code  text    NOT NULL,
    recipient_address      text    NOT NULL,
    recipient_email        text    NOT NULL,
    issuer_name            text    NOT NULL,
    issuer_address         text    NOT NULL,
    issuer_registration    text    NOT NULL CHECK (issuer_registration ~ '^T[0-9]{13}$'),
    plan_name              text    NOT NULL,
    max_users              integer NOT NULL,
    max_engineers          integer NOT NULL,
    subtotal_yen           bigint  NOT NULL CHECK (subtotal_yen >= 0),
    tax_rate_percent       integer NOT NULL CHECK (tax_rate_percent BETWEEN 0 AND 100),
    tax_yen                bigint  NOT NULL CHECK (tax_yen >= 0),
    total_yen              bigint  NOT NULL CHECK (total_yen = subtotal_yen + tax_yen),
    pdf_path               text,
    pdf_sha256             text,
    rendered_at            timestamptz,
    run_id                 bigint  NOT NULL REFERENCES batch_runs (id),
    created_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT invoice_once_per_contract_month UNIQUE (contract_id, billing_month)
);
CREATE INDEX invoice_month ON invoice (billing_month);

CREATE TABLE invoice_line (
    invoice_id        bigint  NOT NULL REFERENCES invoice (id),
    line_no           integer NOT NULL,
    description       text    NOT NULL,
    quantity          integer NOT NULL CHECK (quantity >= 0),
    unit_price_yen    bigint  NOT NULL,
    amount_yen        bigint  NOT NULL CHECK (amount_yen = quantity * unit_price_yen),
    tax_rate_percent  integer NOT NULL,
    PRIMARY KEY (invoice_id, line_no)
);

-- One row per invoice email. The Message-ID is fixed before the SMTP conversation starts, so a
-- message whose delivery was interrupted is resent under the same Message-ID.
CREATE TABLE mail_delivery (
    id           bigserial PRIMARY KEY,
    invoice_id   bigint  NOT NULL UNIQUE REFERENCES invoice (id),
    recipient    text    NOT NULL,
    message_id   text    NOT NULL UNIQUE,
    status       text    NOT NULL CHECK (status IN ('pending', 'sent')),
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text,
    sent_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
