// Package access will decide who may do what: Vellum users with unique ids, roles
// (physician, scribe, auditor, admin), Argon2id passwords and TOTP, sessions with
// automatic lock, and break-glass emergency access. Decisions will be pure functions of
// (user, role, action, object). It arrives with the access-control issue; until then
// notes are authored by the OS account.
package access
