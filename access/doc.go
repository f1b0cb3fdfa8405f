// Package access decides who may do what in Vellum, and keeps who is signed in.
//
// Every person has a user with a unique id and one role. What a role may do is one
// table of (role, action) pairs (permissions.go), and Decide — a pure function of
// subject, action and object — is the one place it is checked. Physicians author and
// sign their own notes; scribes draft for one named physician and cannot sign; auditors
// see audit views and no note bodies; admins manage users, settings and the vault and
// see no note bodies. Break-glass lets anyone read notes beyond their role for a
// policy-set time, with a typed reason, flagged on every decision it grants.
//
// Passwords are hashed with Argon2id, its parameters recorded with the hash; TOTP
// (RFC 6238) is required for the roles policy names; repeated failures lock an account
// out with doubling back-off. Sessions lock after the policy's idle time and unlock
// only with the password (and code) again.
//
// Every sign-in, failure, lock, unlock, denial, break-glass and user change is an Event
// handed to an EventSink before the action is reported done; the audit log implements
// the sink. Events carry ids, roles and outcomes, never note content, passwords, codes,
// or the break-glass reason (it can name a patient; it stays in the encrypted vault).
//
// Who may create the first admin is set by IT (Bootstrap): the OS accounts listed in
// policy, or holders of an enrollment secret, or — when policy names neither — an OS
// administrator. The first person to launch Vellum is not made admin.
//
// Users and sessions are stored through Store, which the vault implements.
package access
