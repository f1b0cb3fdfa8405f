package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/vellumhealth/vellum/access"
)

func loginCommand() *command {
	var code string
	return &command{
		name:    "login",
		args:    "USERNAME",
		summary: "sign in as a Vellum user for the commands that follow in this terminal session (password, then TOTP code if required)",
		example: `vellum login dr.house
printf '%s\n' "$PASSWORD" | vellum login dr.house     # scripted: password on stdin`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&code, "code", "", "TOTP code (asked for when needed)")
		},
		vault: existingVault,
		nargs: 1,
		run: func(ctx context.Context, e *env, args []string) error {
			pw, err := e.readLine("Password: ", true)
			if err != nil {
				return err
			}
			u, err := e.app.SignIn(ctx, args[0], pw, code)
			if errors.Is(err, access.ErrCodeRequired) && code == "" {
				if code, err = e.readLine("TOTP code: ", true); err != nil {
					return err
				}
				u, err = e.app.SignIn(ctx, args[0], pw, code)
			}
			if err != nil {
				return err
			}
			if err := e.acceptUsePolicy(ctx); err != nil {
				return err
			}
			// One session per vault on the command line: a new sign-in replaces the last.
			if err := e.app.KeepCommandSession(ctx, terminalSession()); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "signed in as %s (%s); the session locks after %s without use and ends with this terminal session\n",
				u.Username, u.Role, e.app.IdleTimeout())
			return nil
		},
	}
}

// acceptUsePolicy shows the organisation's acceptable-use text where the user has yet
// to accept it, and asks; anything but "yes" refuses, which signs the user out.
func (e *env) acceptUsePolicy(ctx context.Context) error {
	p, pending, err := e.app.PendingUsePolicy(ctx)
	if err != nil || !pending {
		return err
	}
	fmt.Fprintf(e.stderr, "\n%s\n\n", strings.TrimSpace(p.Text))
	answer, err := e.readLine("Do you accept this acceptable-use policy? (yes/no): ", false)
	if err == nil && strings.EqualFold(strings.TrimSpace(answer), "yes") {
		return e.app.AcceptUsePolicy(ctx, p.SHA256)
	}
	if rerr := e.app.RefuseUsePolicy(ctx); rerr != nil {
		return rerr
	}
	return errors.New("the acceptable-use policy was not accepted; you are signed out")
}

// sessionVerb builds logout, lock and unlock, which act on the stored session even
// when it is locked.
func sessionVerb(name, summary string, do func(ctx context.Context, e *env) error) *command {
	return &command{
		name:    name,
		summary: summary,
		example: "vellum " + name,
		vault:   existingVault,
		run: func(ctx context.Context, e *env, args []string) error {
			if err := e.app.ResumeCommandSession(ctx, terminalSession()); err != nil {
				return err
			}
			return do(ctx, e)
		},
	}
}

func logoutCommand() *command {
	return sessionVerb("logout", "end the session", func(ctx context.Context, e *env) error {
		return e.app.EndCommandSession(ctx)
	})
}

func lockCommand() *command {
	return sessionVerb("lock", "lock the session now (unlock needs the password)", func(ctx context.Context, e *env) error {
		return e.app.Lock(ctx)
	})
}

func unlockCommand() *command {
	var code string
	c := sessionVerb("unlock", "unlock the session with the password (and TOTP code)", func(ctx context.Context, e *env) error {
		pw, err := e.readLine("Password: ", true)
		if err != nil {
			return err
		}
		err = e.app.Unlock(ctx, pw, code)
		if errors.Is(err, access.ErrCodeRequired) && code == "" {
			if code, err = e.readLine("TOTP code: ", true); err != nil {
				return err
			}
			err = e.app.Unlock(ctx, pw, code)
		}
		return err
	})
	c.flags = func(fs *flag.FlagSet) { fs.StringVar(&code, "code", "", "TOTP code (asked for when needed)") }
	return c
}

func whoamiCommand() *command {
	return &command{
		name:    "whoami",
		summary: "print the signed-in user, role and session state",
		example: "vellum whoami",
		vault:   existingVault,
		auth:    true,
		run: func(ctx context.Context, e *env, args []string) error {
			u, s, err := e.app.Whoami(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s (%s, %s)\n", u.Username, u.Role, u.ID)
			if s.BreakGlassOn(time.Now()) {
				fmt.Fprintf(e.stdout, "EMERGENCY ACCESS until %s\n", s.BreakGlassUntil.Local().Format("15:04"))
			}
			return nil
		},
	}
}

func breakGlassCommand() *command {
	return &command{
		name:    "break-glass",
		summary: "take emergency access to notes beyond your role, for the time policy allows; asks for the reason",
		example: `vellum break-glass            # then type the reason
echo "Covering a colleague's patient in resus" | vellum break-glass`,
		vault: existingVault,
		auth:  true,
		run: func(ctx context.Context, e *env, args []string) error {
			// The reason may name a patient: read, never taken as a flag (flags are
			// visible in the process list), and kept only in the vault.
			reason, err := e.readLine("Reason for emergency access: ", false)
			if err != nil {
				return err
			}
			until, err := e.app.BreakGlass(ctx, strings.TrimSpace(reason))
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "EMERGENCY ACCESS is on until %s; every note you open is recorded as emergency access\n",
				until.Local().Format("15:04"))
			return nil
		},
	}
}

func usersCommand() *command {
	return &command{
		name:    "users",
		summary: "add, list, disable, enable, unlock Vellum users, reset their TOTP",
		example: `sudo vellum users add it.admin --role admin        # the first admin
vellum users add dr.house --role physician --display-name "Dr House"
vellum users add j.scribe --role scribe --for dr.house
vellum users approve-scribe j.scribe                  # dr.house, signed in`,
		subs: []*command{usersAdd(), usersList(), usersDisable(), usersEnable(), usersUnlock(), usersResetTOTP(), usersApproveScribe()},
	}
}

func usersAdd() *command {
	var role, display, actingFor, secretFile string
	var totp bool
	return &command{
		name:    "add",
		args:    "USERNAME",
		summary: "create a user; the password is read from the terminal (twice) or stdin",
		example: `vellum users add dr.house --role physician
vellum users add it.admin --role admin --enrollment-secret-file /run/secrets/vellum-enroll`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&role, "role", "", "physician, scribe, auditor or admin (required)")
			fs.StringVar(&display, "display-name", "", "name shown in the app")
			fs.StringVar(&actingFor, "for", "", "the physician a scribe drafts for")
			fs.BoolVar(&totp, "totp", false, "enroll a TOTP authenticator even where policy does not require one")
			fs.StringVar(&secretFile, "enrollment-secret-file", "", "file holding policy's admin enrollment secret (first admin only)")
		},
		nargs: 1,
		run: func(ctx context.Context, e *env, args []string) error {
			r, err := access.ParseRole(role)
			if err != nil {
				return usageError{"users add: " + err.Error()}
			}
			var b access.Bootstrap
			if secretFile != "" {
				s, err := os.ReadFile(secretFile)
				if err != nil {
					return err
				}
				b.EnrollmentSecret = strings.TrimSpace(string(s))
			}
			pw, err := e.readLine("Password for "+args[0]+": ", true)
			if err != nil {
				return err
			}
			if f, ok := e.stdin.(*os.File); ok && isTerminal(f) {
				again, err := e.readLine("Again: ", true)
				if err != nil {
					return err
				}
				if again != pw {
					return errors.New("the passwords differ")
				}
			}
			if err := access.CheckPassword(pw); err != nil {
				return err
			}
			if _, err := e.openVault(ctx, true); err != nil {
				return err
			}
			defer e.closeVault()
			// An admin signed in adds users; without a session this is the first admin.
			if err := e.signIn(ctx); err != nil && !errors.Is(err, access.ErrNoSession) {
				return err
			}
			u, uri, err := e.app.AddUser(ctx, access.NewUser{Username: args[0], DisplayName: display, Role: r,
				Password: pw, ActingFor: actingFor, TOTP: totp}, b)
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, u.ID)
			if uri != "" {
				fmt.Fprintf(e.stdout, "TOTP enrollment for %s (show it to the user once, as a QR code or typed into an authenticator app):\n%s\n", u.Username, uri)
			}
			fmt.Fprintf(e.stderr, "added %s (%s)\n", u.Username, u.Role)
			return nil
		},
	}
}

func usersList() *command {
	var asJSON bool
	return &command{
		name:    "list",
		summary: "list users (admins only)",
		example: "vellum users list",
		flags:   func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		vault:   existingVault,
		auth:    true,
		run: func(ctx context.Context, e *env, args []string) error {
			users, err := e.app.Users(ctx)
			if err != nil {
				return err
			}
			type row struct {
				ID          string      `json:"id"`
				Username    string      `json:"username"`
				DisplayName string      `json:"display_name"`
				Role        access.Role `json:"role"`
				For         string      `json:"for,omitempty"`
				TOTP        bool        `json:"totp"`
				Disabled    bool        `json:"disabled"`
			}
			names := map[string]string{}
			for _, u := range users {
				names[u.ID] = u.Username
			}
			rows := []row{}
			for _, u := range users {
				for_ := names[u.ActingFor]
				if u.PendingFor != "" {
					for_ = names[u.PendingFor] + " (awaiting approval)"
				}
				rows = append(rows, row{u.ID, u.Username, u.DisplayName, u.Role, for_, u.TOTPSecret != nil, u.Disabled})
			}
			if asJSON {
				return e.printJSON(rows)
			}
			for _, r := range rows {
				state := "active"
				if r.Disabled {
					state = "disabled"
				}
				fmt.Fprintf(e.stdout, "%-20s %-10s %-8s totp=%-5v %s %s\n", r.Username, r.Role, state, r.TOTP, r.For, r.DisplayName)
			}
			return nil
		},
	}
}

func usersDisable() *command {
	return &command{
		name:    "disable",
		args:    "USERNAME",
		summary: "disable a user; their sessions end at their next use",
		example: "vellum users disable dr.house",
		vault:   existingVault,
		auth:    true,
		nargs:   1,
		run: func(ctx context.Context, e *env, args []string) error {
			if err := e.app.DisableUser(ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "disabled %s\n", args[0])
			return nil
		},
	}
}

func usersResetTOTP() *command {
	return &command{
		name:    "reset-totp",
		args:    "USERNAME",
		summary: "give a user a new TOTP secret and print its enrollment URI",
		example: "vellum users reset-totp dr.house",
		vault:   existingVault,
		auth:    true,
		nargs:   1,
		run: func(ctx context.Context, e *env, args []string) error {
			uri, err := e.app.ResetTOTP(ctx, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, uri)
			return nil
		},
	}
}

func usersApproveScribe() *command {
	var code string
	return &command{
		name:    "approve-scribe",
		args:    "USERNAME",
		summary: "as a physician, accept a scribe an admin created to draft for you (once they have signed in); the scribe, at your side, types their own password (and TOTP code)",
		example: `vellum users approve-scribe j.scribe
printf '%s\n' "$SCRIBE_PASSWORD" | vellum users approve-scribe j.scribe   # scripted: the scribe's password on stdin`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&code, "code", "", "the scribe's TOTP code (asked for when needed)")
		},
		vault: existingVault,
		auth:  true,
		nargs: 1,
		run: func(ctx context.Context, e *env, args []string) error {
			// The key given is the one the scribe's password opens: a vault row can
			// be written by anyone with the vault key, the password only typed by
			// the scribe.
			pw, err := e.readLine("Password of "+args[0]+" (the scribe types it): ", true)
			if err != nil {
				return err
			}
			err = e.app.ApproveScribe(ctx, args[0], pw, code)
			if errors.Is(err, access.ErrCodeRequired) && code == "" {
				if code, err = e.readLine("TOTP code of "+args[0]+": ", true); err != nil {
					return err
				}
				err = e.app.ApproveScribe(ctx, args[0], pw, code)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "%s now drafts for you\n", args[0])
			return nil
		},
	}
}

func usersEnable() *command {
	return &command{
		name:    "enable",
		args:    "USERNAME",
		summary: "enable a disabled user (users restored from a backup arrive disabled)",
		example: "vellum users enable dr.house",
		vault:   existingVault,
		auth:    true,
		nargs:   1,
		run: func(ctx context.Context, e *env, args []string) error {
			if err := e.app.EnableUser(ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "enabled %s\n", args[0])
			return nil
		},
	}
}

func usersUnlock() *command {
	return &command{
		name:    "unlock",
		args:    "USERNAME",
		summary: "let a user locked out by failed sign-ins sign in again now (confirm who asks first)",
		example: "vellum users unlock dr.house",
		vault:   existingVault,
		auth:    true,
		nargs:   1,
		run: func(ctx context.Context, e *env, args []string) error {
			if err := e.app.UnlockUser(ctx, args[0]); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "%s may sign in again\n", args[0])
			return nil
		},
	}
}
