// BanjianStore: the node's SQLite database through GRDB: migrations, the case projection, the
// append-only event log, the outbox and the deadline tables (design.md "Modules").
