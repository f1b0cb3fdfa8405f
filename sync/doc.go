// Package sync will deliver audit records: the outbox, the uploader (retry, backoff,
// idempotent), enrollment, and the collector side — ingest, stores (SQLite and
// PostgreSQL) and reports. It arrives with the audit-trail issue.
package sync
