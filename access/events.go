package access

import (
	"context"
	"time"
)

// EventKind names what happened. The audit log turns each into a signed record.
type EventKind string

const (
	EventSignIn         EventKind = "auth.sign_in"
	EventSignInFailed   EventKind = "auth.sign_in_failed"
	EventLockedOut      EventKind = "auth.locked_out"
	EventSignOut        EventKind = "auth.sign_out"
	EventLock           EventKind = "auth.lock"
	EventUnlock         EventKind = "auth.unlock"
	EventDenied         EventKind = "auth.denied"
	EventBreakGlass     EventKind = "auth.break_glass"
	EventUserAdded      EventKind = "user.added"
	EventUserDisabled   EventKind = "user.disabled"
	EventUserEnabled    EventKind = "user.enabled"
	EventTOTPReset      EventKind = "user.totp_reset"
	EventScribeApproved EventKind = "user.scribe_approved"
	EventUserUnlocked   EventKind = "user.unlocked"
	// EventUsePolicyAccepted: the user accepted the organisation's acceptable-use text
	// (its SHA-256 in the detail); EventUsePolicyRefused signs them out.
	EventUsePolicyAccepted EventKind = "user.use_policy_accepted"
	EventUsePolicyRefused  EventKind = "user.use_policy_refused"
	// EventPolicyChanged: the effective policy differs from the one last applied to
	// this vault. Not an access decision, but it goes through the same sink.
	EventPolicyChanged EventKind = "policy.changed"
)

// Event is one access event. It carries ids, roles, actions and outcomes: never a
// password, a code, note content or the break-glass reason.
type Event struct {
	Time   time.Time
	Kind   EventKind
	UserID string // who; empty when the user name matched no one
	Role   Role
	// Subject is the user acted upon (user.added, ...), or the action denied.
	Subject string
	Detail  map[string]string
}

// EventSink receives events. Record must return only once the event is durable: the
// action it describes is reported done only after that, and fails if Record fails.
type EventSink interface {
	Record(ctx context.Context, e Event) error
}
