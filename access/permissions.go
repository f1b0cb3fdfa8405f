package access

import "fmt"

// Role is what a user is for.
type Role string

const (
	Physician Role = "physician"
	Scribe    Role = "scribe"
	Auditor   Role = "auditor"
	Admin     Role = "admin"
)

// Roles lists every role.
var Roles = []Role{Physician, Scribe, Auditor, Admin}

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q (physician, scribe, auditor or admin)", s)
}

// Action is something a user does that access control decides.
type Action string

const (
	NoteCreate Action = "note.create"
	NoteView   Action = "note.view" // body included
	NoteList   Action = "note.list" // titles, patients, snippets: PHI too
	NoteEdit   Action = "note.edit"
	NoteSign   Action = "note.sign"
	NoteExport Action = "note.export"
	NoteDelete Action = "note.delete"
	AuditView  Action = "audit.view"
	UserManage Action = "user.manage"
	VaultCheck Action = "vault.check" // integrity and how the vault is kept; no PHI
	VaultAdmin Action = "vault.admin" // rekey, backup, restore, purge, shred
)

// Actions lists every action.
var Actions = []Action{NoteCreate, NoteView, NoteList, NoteEdit, NoteSign, NoteExport, NoteDelete, AuditView, UserManage, VaultCheck, VaultAdmin}

// permissions is the one table of what each role may do. Note actions are further
// limited to the notes the subject owns (see Decide).
var permissions = map[Role][]Action{
	Physician: {NoteCreate, NoteView, NoteList, NoteEdit, NoteSign, NoteExport, NoteDelete},
	Scribe:    {NoteCreate, NoteView, NoteList, NoteEdit, NoteDelete},
	Auditor:   {AuditView, VaultCheck},
	Admin:     {UserManage, VaultCheck, VaultAdmin, AuditView},
}

// breakGlassActions are what emergency access adds, whatever the role: reading notes.
var breakGlassActions = []Action{NoteView, NoteList}

func allowed(r Role, a Action) bool {
	for _, x := range permissions[r] {
		if x == a {
			return true
		}
	}
	return false
}

func isNoteAction(a Action) bool {
	switch a {
	case NoteCreate, NoteView, NoteList, NoteEdit, NoteSign, NoteExport, NoteDelete:
		return true
	}
	return false
}

// Subject is who asks.
type Subject struct {
	UserID string
	Role   Role
	// ActingFor is the physician a scribe drafts for.
	ActingFor string
	// BreakGlass: emergency access is on for this session now.
	BreakGlass bool
}

// Owner is whose notes the subject works on: a physician's own, a scribe's physician's.
func (s Subject) Owner() string {
	if s.Role == Scribe {
		return s.ActingFor
	}
	return s.UserID
}

// Object is what the action is on. For notes, Owner is the physician the note belongs
// to; empty for actions on no particular note (list, create).
type Object struct {
	Owner string
}

// Decision is Decide's answer.
type Decision struct {
	Allowed bool
	// ByBreakGlass: allowed only because emergency access is on; the audit record
	// is flagged.
	ByBreakGlass bool
	Reason       string
}

// Decide is the access decision, a pure function of subject, action and object.
func Decide(s Subject, a Action, o Object) Decision {
	if allowed(s.Role, a) {
		if !isNoteAction(a) || o.Owner == "" || o.Owner == s.Owner() {
			if s.Role == Scribe && s.ActingFor == "" {
				return Decision{Reason: "the scribe is not assigned to a physician"}
			}
			return Decision{Allowed: true}
		}
	}
	if s.BreakGlass {
		for _, x := range breakGlassActions {
			if x == a {
				return Decision{Allowed: true, ByBreakGlass: true}
			}
		}
	}
	if allowed(s.Role, a) {
		return Decision{Reason: fmt.Sprintf("the note belongs to another physician; %s may %s only their own", s.Role, a)}
	}
	return Decision{Reason: fmt.Sprintf("the %s role may not %s", s.Role, a)}
}
