-- Invoice mail moves to the shared outbox. Every delivery keeps its Message-ID, status, attempts
-- and times, so no sent invoice can go again and an interrupted one goes under the same ID.
INSERT INTO mail_outbox (about, recipient, message_id, status, attempts, last_error, sent_at, created_at)
SELECT 'invoice:' || invoice_id, recipient, message_id, status, attempts, last_error, sent_at, created_at
  FROM mail_delivery ORDER BY id;

DROP TABLE mail_delivery;
