package access

import (
	"testing"
)

// TestPermissionTable exercises every role and action, on the subject's own note, on
// another physician's note, and on no note, with and without break-glass. The expected
// table is written out in full: it is the specification.
func TestPermissionTable(t *testing.T) {
	const (
		no  = "-"
		yes = "Y" // allowed
		bg  = "B" // allowed only by break-glass
	)
	// For each role and action: own note, other's note, no object; then the same with
	// break-glass on.
	want := map[Role]map[Action]string{
		Physician: {
			NoteCreate: "Y-Y" + "Y-Y", NoteView: "Y-Y" + "YBY", NoteList: "Y-Y" + "YBY", NoteEdit: "Y-Y" + "Y-Y",
			NoteSign: "Y-Y" + "Y-Y", NoteExport: "Y-Y" + "Y-Y", NoteDelete: "Y-Y" + "Y-Y",
			AuditView: "---" + "---", UserManage: "---" + "---", VaultCheck: "---" + "---", VaultAdmin: "---" + "---",
		},
		Scribe: {
			NoteCreate: "Y-Y" + "Y-Y", NoteView: "Y-Y" + "YBY", NoteList: "Y-Y" + "YBY", NoteEdit: "Y-Y" + "Y-Y",
			NoteSign: "---" + "---", NoteExport: "---" + "---", NoteDelete: "Y-Y" + "Y-Y",
			AuditView: "---" + "---", UserManage: "---" + "---", VaultCheck: "---" + "---", VaultAdmin: "---" + "---",
		},
		Auditor: {
			NoteCreate: "---" + "---", NoteView: "---" + "BBB", NoteList: "---" + "BBB", NoteEdit: "---" + "---",
			NoteSign: "---" + "---", NoteExport: "---" + "---", NoteDelete: "---" + "---",
			AuditView: "YYY" + "YYY", UserManage: "---" + "---", VaultCheck: "YYY" + "YYY", VaultAdmin: "---" + "---",
		},
		Admin: {
			NoteCreate: "---" + "---", NoteView: "---" + "BBB", NoteList: "---" + "BBB", NoteEdit: "---" + "---",
			NoteSign: "---" + "---", NoteExport: "---" + "---", NoteDelete: "---" + "---",
			AuditView: "YYY" + "YYY", UserManage: "YYY" + "YYY", VaultCheck: "YYY" + "YYY", VaultAdmin: "YYY" + "YYY",
		},
	}
	for _, r := range Roles {
		for _, a := range Actions {
			exp, ok := want[r][a]
			if !ok {
				t.Fatalf("the table has no row for %s/%s", r, a)
			}
			i := 0
			for _, breakGlass := range []bool{false, true} {
				s := Subject{UserID: "u_self", Role: r, BreakGlass: breakGlass}
				if r == Scribe {
					s.ActingFor = "u_doc"
				}
				for _, obj := range []Object{{Owner: s.Owner()}, {Owner: "u_other"}, {}} {
					d := Decide(s, a, obj)
					got := no
					if d.Allowed && d.ByBreakGlass {
						got = bg
					} else if d.Allowed {
						got = yes
					}
					if got != string(exp[i]) {
						t.Errorf("%s %s on %v (break-glass %v) = %s, want %c (%s)", r, a, obj, breakGlass, got, exp[i], d.Reason)
					}
					if !d.Allowed && d.Reason == "" {
						t.Errorf("%s %s: a denial without a reason", r, a)
					}
					i++
				}
			}
		}
	}
}

func TestScribeWithoutPhysicianMayDoNothing(t *testing.T) {
	d := Decide(Subject{UserID: "u_s", Role: Scribe}, NoteCreate, Object{})
	if d.Allowed {
		t.Fatal("an unassigned scribe may create notes")
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range Roles {
		if got, err := ParseRole(string(r)); err != nil || got != r {
			t.Errorf("ParseRole(%s) = %v, %v", r, got, err)
		}
	}
	if _, err := ParseRole("superuser"); err == nil {
		t.Error("ParseRole accepted superuser")
	}
}
