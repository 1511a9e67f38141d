# Sourced by bin/demo (BIN, psql_demo and the env set), after the billing demo made the companies
# and their engineers: project assignments → engineer-status; an approach → approach-delivery;
# queued notifications → notify. Mail goes to the local SMTP sink.
log "placements: Sample Shoji's six engineers on projects, judged on 2026-12-07 (Asia/Tokyo)"
psql_demo <<'SQL' >/dev/null
UPDATE engineer SET placement = CASE WHEN company_id = 1 THEN 'working' ELSE 'waiting' END, email = 'engineer' || id || '@ses.example',
       skills = CASE WHEN id % 2 = 0 THEN '{swift,postgresql}' ELSE '{java,aws}' END::text[], experience_years = 2 + id % 7;
INSERT INTO project_assignment (engineer_id, project_name, start_date, planned_end_date, actual_end_date)
SELECT e.id, v.project, v.start_date::date, v.planned::date, v.actual::date
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM engineer WHERE company_id = 1) e
  JOIN (VALUES (1, '物流システム刷新', '2026-04-01', '2027-03-31', NULL),   -- 114 days: working
               (2, '決済API開発',      '2026-06-01', '2027-03-07', NULL),   -- 90 days: waiting_soon
               (3, '社内ポータル',      '2026-01-01', '2026-12-06', NULL),   -- ended yesterday: waiting
               (4, 'データ基盤構築',    '2026-09-01', '2027-09-30', '2026-11-30'),  -- ended early: waiting
               (5, '保守運用',          '2025-10-01', NULL, NULL)           -- open-ended: working
       ) v(n, project, start_date, planned, actual) ON v.n = e.n;
SQL
"$BIN/engineer-status" --now 2026-12-07T02:00 --verbose 2>&1 | sed 's/^/  /'
echo "engineer_status_change:"
psql_demo -F ' | ' -c "SELECT e.id, e.name, c.from_status, c.to_status, c.reason FROM engineer_status_change c JOIN engineer e ON e.id = c.engineer_id ORDER BY c.engineer_id" | sed 's/^/  /'
echo

log "approaches: Tech Kobo looks for Swift/PostgreSQL engineers waiting or soon waiting, Mondays 09:00"
psql_demo <<'SQL' >/dev/null
INSERT INTO approach (company_id, name, skills, cadence, weekday, local_time, subject_template, body_template, created_at)
VALUES (2, 'Swift/PostgreSQL 案件のご案内', '{swift,postgresql}', 'weekly', 1, '09:00',
        '{{company_name}}より「{{approach_name}}」', '{{engineer_name}} 様' || chr(10) || chr(10) || '{{company_name}}です。ご経験に合う案件があります。', '2026-12-01');
SQL
"$BIN/approach-delivery" --now 2026-12-07T09:05 --verbose 2>&1 | sed 's/^/  /'
psql_demo -F ' | ' -c "SELECT a.name, to_char(d.period_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI') AS period, d.engineers,
       to_char(a.next_delivery_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI') AS next
  FROM approach_delivery d JOIN approach a ON a.id = d.approach_id" | sed 's/^/  /'
echo

log "notifications: the application queued five; notify drains them"
psql_demo <<'SQL' >/dev/null
INSERT INTO notification (channel, recipient, template, params, due_at) VALUES
  ('email', 'engineer2@ses.example', 'placement_ending', '{"name": "エンジニア2", "project": "決済API開発", "end_date": "2027-03-07"}', '2026-12-07T09:00+09'),
  ('email', 'engineer1@ses.example', 'message_received', '{"name": "エンジニア1", "sender": "合同会社テック工房", "preview": "面談のご相談"}', '2026-12-07T09:00+09'),
  ('in_app', 'user:7', 'message_received', '{"name": "エンジニア1", "sender": "合同会社テック工房", "preview": "面談のご相談"}', '2026-12-07T09:00+09'),
  ('email', 'engineer4@ses.example', 'message_received', '{"name": "エンジニア4", "sender": "有限会社ミドリ", "preview": "来週のご都合"}', '2026-12-07T09:00+09'),
  ('line', 'U1234', 'message_received', '{}', '2026-12-07T09:00+09');
SQL
set +e; "$BIN/notify" --now 2026-12-07T09:01 --verbose 2>&1 | sed 's/^/  /'; set -e
psql_demo -F ' | ' -c "SELECT id, channel, recipient, status, attempts, coalesce(subject, last_error) AS subject_or_error FROM notification ORDER BY id" | sed 's/^/  /'
echo
