-- When a report's mail went (the last of its letters, for the operator's report to several
-- addresses); the outbox keeps each letter's own record. Reports mailed before this column are
-- filled from the outbox.
ALTER TABLE report ADD COLUMN sent_at timestamptz;

UPDATE report r SET sent_at = o.sent_at
  FROM mail_outbox o
 WHERE r.kind <> 'operator' AND o.status = 'sent'
   AND o.about = 'report:' || r.kind || ':' || r.subject_id || ':' || to_char(r.month, 'YYYY-MM');
UPDATE report r SET sent_at = (SELECT max(o.sent_at) FROM mail_outbox o
                                WHERE o.status = 'sent' AND o.about LIKE 'report:operator:' || to_char(r.month, 'YYYY-MM') || ':%')
 WHERE r.kind = 'operator';
