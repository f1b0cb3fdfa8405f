// Package app is Vellum's application: every use case of the desktop window and of the
// command line, written once.
//
// An App holds what a running Vellum needs for one OS user's profile: the effective
// policy (replaced live as IT or the user changes it), the open vault with its audit
// journal, access control reading that live policy, the session it acts for, one
// model catalog and the loaded engine. Each use case — sign in, lock, break-glass,
// users, notes, drafting, exports, audit views, delivery, backup, restore, rekey,
// purge, shred, policy changes — is one method. `cmd/vellum` parses flags, prompts,
// prints and picks exit codes; the window's ui.Core adapter shows the results. Neither
// front end authorizes, records or touches the vault itself.
//
// What it guarantees:
//
//   - A change and its audit record commit together. Every use case that changes the
//     vault runs in one vault transaction (vault.Update) that also holds the records
//     describing it, sealed and chained from the journal's head inside that
//     transaction: either both are durable or neither is. A failure to record is a
//     failure of the use case, and the caller is told; a cancelled context stops both.
//     Use cases that show PHI record what they show in the same way before returning it.
//   - Refusals are recorded. A denial, a failed sign-in or a lockout commits its record
//     (and the lockout count) and returns the refusal.
//   - The acting user is re-checked at every action: a session idle past policy is
//     locked, a disabled user's session ends, and a user who has not accepted the
//     organisation's current acceptable-use text may do nothing but accept or refuse.
//   - Records stay bounded: lists that grow (the drafts behind an edit) are recorded as
//     a count and one hash over the list.
//   - Policy is read at each use: access control, retention, export formats and the
//     model allowlist follow a change at once.
//
// What it does not do: it writes to no terminal and opens no window; it never words a
// remedy for a person (the front ends do, from the sentinel errors of this package and
// of vault, access and models); it does not protect against malware running as the
// same OS user while the keychain is unlocked (see README's security notes).
package app
