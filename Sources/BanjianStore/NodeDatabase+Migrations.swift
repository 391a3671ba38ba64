import BanjianDomain
import BanjianWire
import Foundation
import GRDB

// The schema. Migrations are named and append-only: a released migration is never edited; a
// change is a new migration registered after the others. Columns ending in `_at` hold seconds
// since 2001-01-01 00:00 UTC (Foundation's reference date), which read back exactly.

extension NodeDatabase {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-cases-events-outbox") { db in
            // The case projection: the record as of its last event, with the columns lists filter on.
            try db.execute(sql: """
                CREATE TABLE case_projection (
                    number TEXT PRIMARY KEY NOT NULL,
                    holder_node TEXT NOT NULL,
                    state TEXT NOT NULL,
                    kind TEXT,
                    matter_code TEXT NOT NULL,
                    handler_operator_id TEXT,
                    overdue INTEGER NOT NULL DEFAULT 0,
                    received_at REAL NOT NULL,
                    updated_at REAL NOT NULL,
                    version INTEGER NOT NULL,
                    record BLOB NOT NULL
                ) STRICT;
                CREATE INDEX case_projection_received ON case_projection(received_at DESC, number DESC);
                CREATE INDEX case_projection_state ON case_projection(state, received_at DESC);

                -- Daily sequence of case numbers per origin node.
                CREATE TABLE case_number_sequence (
                    origin_node TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    last INTEGER NOT NULL,
                    PRIMARY KEY (origin_node, day)
                ) STRICT, WITHOUT ROWID;

                -- The event log: append-only, one row per event, keyed by its global id.
                CREATE TABLE case_event (
                    origin_node TEXT NOT NULL,
                    origin_sequence INTEGER NOT NULL,
                    case_number TEXT NOT NULL,
                    case_version INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    occurred_at REAL NOT NULL,
                    actor BLOB NOT NULL,
                    body BLOB NOT NULL,
                    PRIMARY KEY (origin_node, origin_sequence),
                    UNIQUE (case_number, case_version)
                ) STRICT;
                CREATE TRIGGER case_event_no_update BEFORE UPDATE ON case_event
                    BEGIN SELECT RAISE(ABORT, 'case_event is append-only'); END;
                CREATE TRIGGER case_event_no_delete BEFORE DELETE ON case_event
                    BEGIN SELECT RAISE(ABORT, 'case_event is append-only'); END;

                -- Events waiting to travel over a federation link, in order per destination.
                CREATE TABLE outbox (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    destination_node TEXT NOT NULL,
                    purpose TEXT NOT NULL,
                    origin_node TEXT NOT NULL,
                    origin_sequence INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    FOREIGN KEY (origin_node, origin_sequence) REFERENCES case_event(origin_node, origin_sequence)
                ) STRICT;
                CREATE INDEX outbox_destination ON outbox(destination_node, sequence);

                -- Client request ids: a retry returns the first result.
                CREATE TABLE request_id (
                    operator_id TEXT NOT NULL,
                    request_id TEXT NOT NULL,
                    command TEXT NOT NULL,
                    case_number TEXT NOT NULL,
                    case_version INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    PRIMARY KEY (operator_id, request_id)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v1-deadlines") { db in
            try db.execute(sql: """
                -- Each case's clocks as last projected through the calendar.
                CREATE TABLE deadline_clock (
                    case_number TEXT NOT NULL REFERENCES case_projection(number),
                    clock TEXT NOT NULL,
                    state TEXT NOT NULL,
                    epoch INTEGER NOT NULL,
                    budget_seconds INTEGER NOT NULL,
                    due_at REAL,
                    provisional INTEGER NOT NULL,
                    PRIMARY KEY (case_number, clock)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX deadline_clock_due ON deadline_clock(due_at) WHERE due_at IS NOT NULL;

                -- Rungs still to fire: the deadline scheduler is rebuilt from this table at start.
                CREATE TABLE pending_rung (
                    case_number TEXT NOT NULL REFERENCES case_projection(number),
                    clock TEXT NOT NULL,
                    rung TEXT NOT NULL,
                    epoch INTEGER NOT NULL,
                    fire_at REAL NOT NULL,
                    PRIMARY KEY (case_number, clock, rung, epoch)
                ) STRICT, WITHOUT ROWID;

                -- Rungs that fired: the primary key makes each fire exactly once.
                CREATE TABLE fired_rung (
                    case_number TEXT NOT NULL REFERENCES case_projection(number),
                    clock TEXT NOT NULL,
                    rung TEXT NOT NULL,
                    epoch INTEGER NOT NULL,
                    fired_at REAL NOT NULL,
                    origin_sequence INTEGER NOT NULL,
                    PRIMARY KEY (case_number, clock, rung, epoch)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v1-operators-catalogue") { db in
            try db.execute(sql: """
                -- Staff who may call the node; the token is stored as its SHA-256 only.
                CREATE TABLE operator (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    token_sha256 BLOB NOT NULL UNIQUE,
                    created_at REAL NOT NULL
                ) STRICT;

                -- Every published version of every matter.
                CREATE TABLE matter (
                    code TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    department TEXT NOT NULL,
                    authority INTEGER NOT NULL,
                    agency_allowed INTEGER NOT NULL,
                    record BLOB NOT NULL,
                    PRIMARY KEY (code, version)
                ) STRICT;
                """)
        }
        migrator.registerMigration("v2-operator-revocation") { db in
            try db.execute(sql: """
                -- A revoked operator keeps their row, for the audit trail, and their token stops working.
                ALTER TABLE operator ADD COLUMN revoked_at REAL;
                """)
        }
        migrator.registerMigration("v2-calendar-journal") { db in
            try db.execute(sql: """
                -- Facts about the node itself, such as the fingerprint of the calendar its stored
                -- deadlines were projected with.
                CREATE TABLE node_state (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                ) STRICT;

                -- Each change of the calendar (holiday years, office hours) and the running clocks
                -- it moved.
                CREATE TABLE calendar_change (
                    id INTEGER PRIMARY KEY,
                    changed_at REAL NOT NULL,
                    previous_fingerprint TEXT,
                    fingerprint TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    cases_reprojected INTEGER NOT NULL
                ) STRICT;
                CREATE TABLE deadline_shift (
                    calendar_change INTEGER NOT NULL REFERENCES calendar_change(id),
                    case_number TEXT NOT NULL REFERENCES case_projection(number),
                    clock TEXT NOT NULL,
                    previous_due_at REAL,
                    due_at REAL,
                    PRIMARY KEY (calendar_change, case_number, clock)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v3-deadline-correction") { db in
            try db.execute(sql: """
                -- The deadlinesCorrected event a calendar change appended to a case's log, withdrawing
                -- rungs that had fired early.
                CREATE TABLE deadline_correction (
                    calendar_change INTEGER NOT NULL REFERENCES calendar_change(id),
                    case_number TEXT NOT NULL,
                    case_version INTEGER NOT NULL,
                    PRIMARY KEY (calendar_change, case_number),
                    FOREIGN KEY (case_number, case_version) REFERENCES case_event(case_number, case_version)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4-notices-registers-links") { db in
            try db.execute(sql: """
                -- Outbox purposes are named after OutboxPurpose.
                UPDATE outbox SET purpose = 'supervisionCopy' WHERE purpose = 'supervision';

                -- Numbered notices, as issued (NoticeDocument as JSON).
                CREATE TABLE notice (
                    number TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    case_number TEXT NOT NULL REFERENCES case_projection(number),
                    case_version INTEGER NOT NULL,
                    issued_at REAL NOT NULL,
                    document BLOB NOT NULL
                ) STRICT;
                CREATE INDEX notice_case ON notice(case_number, case_version);
                CREATE TABLE notice_sequence (
                    kind TEXT NOT NULL,
                    year INTEGER NOT NULL,
                    last INTEGER NOT NULL,
                    PRIMARY KEY (kind, year)
                ) STRICT, WITHOUT ROWID;

                -- The 否定报备 register: every refusal (退回) and the responsible leader's review.
                CREATE TABLE refusal (
                    case_number TEXT NOT NULL REFERENCES case_projection(number),
                    ordinal INTEGER NOT NULL,
                    returned_at REAL NOT NULL,
                    review_state TEXT NOT NULL,
                    record BLOB NOT NULL,
                    PRIMARY KEY (case_number, ordinal)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX refusal_state ON refusal(review_state, returned_at);

                -- Alerts (a rung fired) and notifications (a role is told), for supervision.
                CREATE TABLE alert (
                    id INTEGER PRIMARY KEY,
                    case_number TEXT NOT NULL REFERENCES case_projection(number),
                    clock TEXT NOT NULL,
                    rung TEXT NOT NULL,
                    epoch INTEGER NOT NULL,
                    raised_at REAL NOT NULL,
                    origin_node TEXT NOT NULL,
                    origin_sequence INTEGER NOT NULL
                ) STRICT;
                CREATE TABLE notification (
                    id INTEGER PRIMARY KEY,
                    case_number TEXT NOT NULL REFERENCES case_projection(number),
                    role TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    operator_id TEXT,
                    created_at REAL NOT NULL,
                    origin_node TEXT NOT NULL,
                    origin_sequence INTEGER NOT NULL
                ) STRICT;

                -- How far each peer's outbox has been applied here (the link's resume cursor).
                CREATE TABLE link_cursor (
                    peer_node TEXT PRIMARY KEY NOT NULL,
                    applied_through INTEGER NOT NULL,
                    updated_at REAL NOT NULL
                ) STRICT;
                """)
        }
        migrator.registerMigration("v5-protobuf-events") { db in
            // Events are stored in the wire contract's protobuf encoding (banjian.v1.CaseEvent):
            // the same bytes a federation link carries, tolerant of new fields and renamed Swift
            // cases. Rows written before are converted from their JSON actor and body, each read
            // back once so that a row that would not decode stops the migration. Their instants
            // become what a protobuf Timestamp carries (whole nanoseconds), so the projections
            // are rebuilt from the converted events when the node next starts.
            try db.execute(sql: """
                CREATE TABLE case_event_protobuf (
                    origin_node TEXT NOT NULL,
                    origin_sequence INTEGER NOT NULL,
                    case_number TEXT NOT NULL,
                    case_version INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    occurred_at REAL NOT NULL,
                    event BLOB NOT NULL,
                    PRIMARY KEY (origin_node, origin_sequence),
                    UNIQUE (case_number, case_version)
                ) STRICT;
                """)
            var converted = false
            let rows = try Row.fetchCursor(db, sql: """
                SELECT origin_node, origin_sequence, case_number, case_version, name, occurred_at, actor, body
                FROM case_event ORDER BY rowid
                """)
            while let row = try rows.next() {
                let origin: String = row[0], number: String = row[2]
                guard let code = NodeCode(origin), let caseNumber = CaseNumber(number) else {
                    throw StoreError(.corrupt, "bad event row \(origin) of case \(number)")
                }
                let sequence: Int64 = row[1], version: Int64 = row[3], storedAt: Double = row[5]
                let event = RecordedEvent(
                    id: EventID(origin: code, sequence: UInt64(sequence)), caseNumber: caseNumber, caseVersion: UInt64(version),
                    occurredAt: Date(storedSeconds: storedAt).protobufExact,
                    actor: try CaseRows.decode(Actor.self, row[6], "an actor of case \(number)"),
                    event: try CaseRows.decode(CaseEvent.self, row[7], "an event of case \(number)"))
                let bytes = try event.protobufEncoded()
                guard (try? RecordedEvent(protobufEncoded: bytes)) == event else {
                    throw StoreError(.corrupt, "event \(event.id) of case \(number) does not read back from protobuf")
                }
                try db.execute(sql: "INSERT INTO case_event_protobuf VALUES (?, ?, ?, ?, ?, ?, ?)",
                               arguments: [origin, sequence, number, version, row[4] as String, event.occurredAt.storedSeconds, bytes])
                converted = true
            }
            if converted {
                try db.execute(sql: "INSERT INTO node_state VALUES ('projections.rebuild', 'v5-protobuf-events')")
            }
            try db.execute(sql: """
                DROP TABLE case_event;
                ALTER TABLE case_event_protobuf RENAME TO case_event;
                CREATE TRIGGER case_event_no_update BEFORE UPDATE ON case_event
                    BEGIN SELECT RAISE(ABORT, 'case_event is append-only'); END;
                CREATE TRIGGER case_event_no_delete BEFORE DELETE ON case_event
                    BEGIN SELECT RAISE(ABORT, 'case_event is append-only'); END;
                """)
        }
        migrator.registerMigration("v6-catalogue-requests") { db in
            try db.execute(sql: """
                -- Request ids of catalogue publications: a retry returns the version it published.
                CREATE TABLE catalogue_request (
                    operator_id TEXT NOT NULL,
                    request_id TEXT NOT NULL,
                    command TEXT NOT NULL,
                    matter_code TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    PRIMARY KEY (operator_id, request_id),
                    FOREIGN KEY (matter_code, version) REFERENCES matter(code, version)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v7-federation-links") { db in
            try db.execute(sql: """
                -- Each link's outbox, numbered per peer without gaps (the link's batch sequence): a case
                -- event by its id, or another record (banjian.v1.LinkRecord) in full. Rows are deleted
                -- once the peer acknowledges them.
                CREATE TABLE link_outbox (
                    peer_node TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    purpose TEXT NOT NULL,
                    origin_node TEXT,
                    origin_sequence INTEGER,
                    -- Personal data is removed before the event leaves (a parent that never handled the case).
                    redacted INTEGER NOT NULL,
                    created_at REAL NOT NULL,
                    record BLOB,
                    PRIMARY KEY (peer_node, sequence),
                    FOREIGN KEY (origin_node, origin_sequence) REFERENCES case_event(origin_node, origin_sequence),
                    CHECK ((origin_node IS NULL) = (origin_sequence IS NULL) AND (origin_node IS NULL) <> (record IS NULL))
                ) STRICT, WITHOUT ROWID;

                -- Per peer: the last sequence given to its outbox, and how far the peer acknowledged it.
                CREATE TABLE link_peer (
                    peer_node TEXT PRIMARY KEY NOT NULL,
                    last_sequence INTEGER NOT NULL DEFAULT 0,
                    acked_through INTEGER NOT NULL DEFAULT 0,
                    acked_at REAL
                ) STRICT;

                -- Rows of the old outbox keep their order; supervision copies travel without personal data.
                INSERT INTO link_outbox
                    SELECT destination_node, ROW_NUMBER() OVER (PARTITION BY destination_node ORDER BY sequence), purpose,
                           origin_node, origin_sequence, purpose = 'supervisionCopy', created_at, NULL
                    FROM outbox;
                INSERT INTO link_peer (peer_node, last_sequence) SELECT peer_node, MAX(sequence) FROM link_outbox GROUP BY peer_node;
                DROP TABLE outbox;

                -- The children whose links this node accepts (those named in the config are added at start).
                CREATE TABLE child_node (
                    code TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    added_at REAL NOT NULL
                ) STRICT;
                """)
        }
        migrator.registerMigration("v8-holiday-years") { db in
            try db.execute(sql: """
                -- Holiday years published at the top of the tree (banjian.v1.CalendarUpdate), loaded over
                -- the config's calendar at start.
                CREATE TABLE holiday_year (
                    year INTEGER PRIMARY KEY NOT NULL,
                    update_message BLOB NOT NULL,
                    received_at REAL NOT NULL
                ) STRICT;
                """)
        }
        migrator.registerMigration("v9-case-alerts") { db in
            try db.execute(sql: """
                -- What raised an alert: 'rung' (clock, rung and epoch say which), or a CaseAlert
                -- ('returned', 'dissatisfied'), whose clock and rung are empty.
                ALTER TABLE alert ADD COLUMN kind TEXT NOT NULL DEFAULT 'rung';
                -- Where an alert stream replaying from an instant starts.
                CREATE INDEX alert_raised ON alert(raised_at);
                """)
        }
        migrator.registerMigration("v10-statistics-score-facts") { db in
            let counters = ["received", "completed", "completed_on_spot", "on_time", "overdue", "extended", "returned", "forwarded_up",
                            "satisfied", "basically_satisfied", "dissatisfied"].map { "\($0) INTEGER NOT NULL" }.joined(separator: ",\n    ")
            try db.execute(sql: """
                -- Case statistics (办件统计): per day of receipt (yyyymmdd), node, window, handler and
                -- matter, the number of cases counting in each figure (CaseTally), kept in the events'
                -- transactions.
                CREATE TABLE case_statistics (
                    day INTEGER NOT NULL,
                    node TEXT NOT NULL,
                    department TEXT NOT NULL,
                    handler TEXT NOT NULL,
                    matter TEXT NOT NULL,
                    handler_name TEXT NOT NULL,
                    matter_name TEXT NOT NULL,
                    \(counters),
                    PRIMARY KEY (day, node, department, handler, matter)
                ) STRICT, WITHOUT ROWID;

                -- Facts the monthly assessment scores (ScoreFact), each raised by one event; `month` is
                -- yyyymm of the event in the centre's zone.
                CREATE TABLE score_fact (
                    case_number TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    origin_node TEXT NOT NULL,
                    origin_sequence INTEGER NOT NULL,
                    occurred_at REAL NOT NULL,
                    month INTEGER NOT NULL,
                    node TEXT NOT NULL,
                    department TEXT NOT NULL,
                    handler TEXT NOT NULL,
                    handler_name TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (origin_node, origin_sequence, rule, case_number)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX score_fact_month ON score_fact(month, node);

                -- Both are counted from the events at the next start.
                INSERT INTO node_state SELECT 'projections.rebuild', 'v10-statistics-score-facts' WHERE EXISTS (SELECT 1 FROM case_event)
                    ON CONFLICT (key) DO NOTHING;
                """)
        }
        migrator.registerMigration("v11-supervision-orders") { db in
            try db.execute(sql: """
                -- 督办 orders issued here: the daily sequence of their numbers, and each one under its
                -- request id (banjian.v1.SupervisionOrder), so that a retry returns the first.
                CREATE TABLE order_number_sequence (
                    day INTEGER PRIMARY KEY NOT NULL,
                    last INTEGER NOT NULL
                ) STRICT;
                CREATE TABLE order_request (
                    operator_id TEXT NOT NULL,
                    request_id TEXT NOT NULL,
                    order_message BLOB NOT NULL,
                    created_at REAL NOT NULL,
                    PRIMARY KEY (operator_id, request_id)
                ) STRICT, WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v12-link-alerts") { db in
            try db.execute(sql: """
                -- Alerts of links down too long join the journal: they name no case and no event, but the
                -- node that saw the link down, the node at its other end, and since when.
                CREATE TABLE alert_v12 (
                    id INTEGER PRIMARY KEY,
                    case_number TEXT REFERENCES case_projection(number),
                    clock TEXT NOT NULL,
                    rung TEXT NOT NULL,
                    epoch INTEGER NOT NULL,
                    raised_at REAL NOT NULL,
                    origin_node TEXT,
                    origin_sequence INTEGER,
                    kind TEXT NOT NULL DEFAULT 'rung',
                    link_reporter TEXT,
                    link_peer TEXT,
                    link_down_since REAL,
                    CHECK ((case_number IS NULL) = (kind = 'linkDown') AND (origin_node IS NULL) = (kind = 'linkDown')
                           AND (link_peer IS NULL) = (kind <> 'linkDown'))
                ) STRICT;
                INSERT INTO alert_v12 (id, case_number, clock, rung, epoch, raised_at, origin_node, origin_sequence, kind)
                    SELECT id, case_number, clock, rung, epoch, raised_at, origin_node, origin_sequence, kind FROM alert;
                DROP TABLE alert;
                ALTER TABLE alert_v12 RENAME TO alert;
                CREATE INDEX alert_raised ON alert(raised_at);
                -- The alert of a clock's due rung, found by case (an open breach in the assessment).
                CREATE INDEX alert_case ON alert(case_number, clock, rung);
                """)
        }
        migrator.registerMigration("v13-consultations") { db in
            try db.execute(sql: """
                -- 咨询登记: each consultation (banjian.v1.Consultation) registered here or below, by number; a
                -- local one under its request id, so that a retry returns the first.
                CREATE TABLE consultation (
                    number TEXT PRIMARY KEY NOT NULL,
                    node TEXT NOT NULL,
                    consulted_at REAL NOT NULL,
                    message BLOB NOT NULL,
                    operator_id TEXT,
                    request_id TEXT,
                    UNIQUE (operator_id, request_id)
                ) STRICT;
                CREATE TABLE consultation_number_sequence (
                    day INTEGER PRIMARY KEY NOT NULL,
                    last INTEGER NOT NULL
                ) STRICT;
                -- They count in the statistics, on the day of the consultation.
                ALTER TABLE case_statistics ADD COLUMN consultations INTEGER NOT NULL DEFAULT 0;
                """)
        }
        migrator.registerMigration("v14-lateness-by-month") { db in
            try db.execute(sql: """
                -- A late clock's due instant, so that each month is charged the working days late that fall
                -- in it; the facts are recounted from the events at the next start.
                ALTER TABLE score_fact ADD COLUMN since REAL;
                CREATE INDEX score_fact_late ON score_fact(rule, occurred_at) WHERE since IS NOT NULL;
                INSERT INTO node_state SELECT 'projections.rebuild', 'v14-lateness-by-month' WHERE EXISTS (SELECT 1 FROM score_fact)
                    ON CONFLICT (key) DO NOTHING;
                """)
        }
        migrator.registerMigration("v15-petitions-complaints") { db in
            try db.execute(sql: """
                -- 信访 petitions and 投诉 complaints (Grievance), registered here or copied from below: the
                -- record as of its version, JSON-encoded; `kind` is 'petition' or 'complaint'.
                CREATE TABLE grievance (
                    number TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    node TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    received_at REAL NOT NULL,
                    record BLOB NOT NULL
                ) STRICT;
                CREATE INDEX grievance_node ON grievance(node, received_at);
                -- Client request ids of petition and complaint commands: a retry returns the record.
                CREATE TABLE grievance_request (
                    operator_id TEXT NOT NULL,
                    request_id TEXT NOT NULL,
                    command TEXT NOT NULL,
                    number TEXT NOT NULL,
                    PRIMARY KEY (operator_id, request_id)
                ) STRICT, WITHOUT ROWID;

                -- Rungs and alerts now belong to a case or to a petition or complaint (whose reply clocks
                -- say which): the tables are rebuilt without the reference to case_projection.
                CREATE TABLE pending_rung_v15 (
                    case_number TEXT NOT NULL,
                    clock TEXT NOT NULL,
                    rung TEXT NOT NULL,
                    epoch INTEGER NOT NULL,
                    fire_at REAL NOT NULL,
                    PRIMARY KEY (case_number, clock, rung, epoch)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO pending_rung_v15 SELECT * FROM pending_rung;
                DROP TABLE pending_rung;
                ALTER TABLE pending_rung_v15 RENAME TO pending_rung;
                CREATE TABLE fired_rung_v15 (
                    case_number TEXT NOT NULL,
                    clock TEXT NOT NULL,
                    rung TEXT NOT NULL,
                    epoch INTEGER NOT NULL,
                    fired_at REAL NOT NULL,
                    origin_sequence INTEGER NOT NULL,
                    PRIMARY KEY (case_number, clock, rung, epoch)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO fired_rung_v15 SELECT * FROM fired_rung;
                DROP TABLE fired_rung;
                ALTER TABLE fired_rung_v15 RENAME TO fired_rung;
                -- A petition's or complaint's alert names its number in case_number and the version that
                -- raised it in record_version, and no event.
                CREATE TABLE alert_v15 (
                    id INTEGER PRIMARY KEY,
                    case_number TEXT,
                    clock TEXT NOT NULL,
                    rung TEXT NOT NULL,
                    epoch INTEGER NOT NULL,
                    raised_at REAL NOT NULL,
                    origin_node TEXT,
                    origin_sequence INTEGER,
                    kind TEXT NOT NULL DEFAULT 'rung',
                    link_reporter TEXT,
                    link_peer TEXT,
                    link_down_since REAL,
                    record_version INTEGER,
                    CHECK ((case_number IS NULL) = (kind = 'linkDown') AND (link_peer IS NULL) = (kind <> 'linkDown')
                           AND ((origin_node IS NULL) = (kind = 'linkDown' OR record_version IS NOT NULL)))
                ) STRICT;
                INSERT INTO alert_v15 (id, case_number, clock, rung, epoch, raised_at, origin_node, origin_sequence, kind, link_reporter, link_peer,
                                       link_down_since)
                    SELECT id, case_number, clock, rung, epoch, raised_at, origin_node, origin_sequence, kind, link_reporter, link_peer, link_down_since
                    FROM alert;
                DROP TABLE alert;
                ALTER TABLE alert_v15 RENAME TO alert;
                CREATE INDEX alert_raised ON alert(raised_at);
                CREATE INDEX alert_case ON alert(case_number, clock, rung);

                -- They count in the statistics on their day of registration.
                ALTER TABLE case_statistics ADD COLUMN petitions INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE case_statistics ADD COLUMN complaints INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE case_statistics ADD COLUMN complaints_overdue INTEGER NOT NULL DEFAULT 0;
                """)
        }
        return migrator
    }
}
