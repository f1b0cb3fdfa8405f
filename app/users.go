package app

import (
	"context"
	"errors"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/vault"
)

// AddUser creates a user: by the signed-in admin, or — with nobody signed in — as the
// first admin, which access's bootstrap rules and b must allow. It returns the TOTP
// enrollment URI when the user has TOTP.
func (a *App) AddUser(ctx context.Context, nu access.NewUser, b access.Bootstrap) (access.User, string, error) {
	var u access.User
	var uri string
	add := func(svc *access.Service, by *access.Session) error {
		var err error
		u, uri, err = svc.AddUser(ctx, by, nu, b)
		return err
	}
	if a.Signed() {
		err := a.act(ctx, func(c *actor) error { return add(c.svc, &c.sess) })
		return u, uri, err
	}
	err := a.update(ctx, func(_ *vault.Tx, svc *access.Service) error { return add(svc, nil) })
	return u, uri, err
}

// Users lists the users (admins only).
func (a *App) Users(ctx context.Context) ([]access.User, error) {
	var out []access.User
	err := a.act(ctx, func(c *actor) error {
		if err := c.authorize(ctx, access.UserManage, ""); err != nil {
			return err
		}
		var err error
		out, err = c.tx.Users(ctx)
		return err
	})
	return out, err
}

// userChange runs one of access's changes to a named user as the signed-in user.
func (a *App) userChange(ctx context.Context, do func(svc *access.Service, by *access.Session) error) error {
	return a.act(ctx, func(c *actor) error { return do(c.svc, &c.sess) })
}

// DisableUser disables a user (admins); their open sessions end at their next action.
func (a *App) DisableUser(ctx context.Context, username string) error {
	return a.userChange(ctx, func(svc *access.Service, by *access.Session) error { return svc.DisableUser(ctx, by, username) })
}

// EnableUser enables a disabled user (admins).
func (a *App) EnableUser(ctx context.Context, username string) error {
	return a.userChange(ctx, func(svc *access.Service, by *access.Session) error { return svc.EnableUser(ctx, by, username) })
}

// UnlockUser ends a user's sign-in lockout at once (admins).
func (a *App) UnlockUser(ctx context.Context, username string) error {
	return a.userChange(ctx, func(svc *access.Service, by *access.Session) error { return svc.UnlockUser(ctx, by, username) })
}

// ApproveScribe: the signed-in physician accepts a scribe an admin created for them,
// and gives the physician's note key to the scribe's own key. The scribe is at their
// side and types their own password (and TOTP code, where they have one:
// access.ErrCodeRequired asks for it): the key given is the one that password opens,
// not whichever key the vault's rows name. A scribe who has not signed in yet has
// none (vault.ErrScribeNoKey), and stays waiting.
func (a *App) ApproveScribe(ctx context.Context, scribe, scribePassword, scribeCode string) error {
	return a.act(ctx, func(c *actor) error {
		if err := c.svc.ApproveScribe(ctx, &c.sess, scribe, scribePassword, scribeCode); err != nil {
			return err
		}
		s, err := c.tx.UserByName(ctx, scribe)
		if err != nil {
			return err
		}
		altered, err := c.tx.ApproveScribeKey(ctx, c.user.ID, s.ID, scribePassword)
		if err != nil {
			return err
		}
		if altered {
			recordKeyFault(c.tx, c.user, s.ID, "altered")
		}
		granted, forged, err := c.tx.GrantScribes(ctx, c.user.ID)
		recordGrants(c.tx, c.user, granted, forged)
		return err
	})
}

// ResetTOTP gives a user a new TOTP secret (admins) and returns its enrollment URI.
func (a *App) ResetTOTP(ctx context.Context, username string) (string, error) {
	var uri string
	err := a.userChange(ctx, func(svc *access.Service, by *access.Session) error {
		var err error
		uri, err = svc.ResetTOTP(ctx, by, username)
		return err
	})
	return uri, err
}

// Person is how a user is named to other people.
type Person struct {
	Username    string
	DisplayName string
}

// Name is the display name, else the user name.
func (p Person) Name() string {
	if p.DisplayName != "" {
		return p.DisplayName
	}
	return p.Username
}

// people names the users ids refers to; an id that is no user (an OS account that
// owned notes before Vellum had users) names itself.
func people(ctx context.Context, tx *vault.Tx, ids ...string) map[string]Person {
	out := map[string]Person{}
	for _, id := range ids {
		if id == "" {
			continue
		}
		if _, ok := out[id]; ok {
			continue
		}
		u, err := tx.User(ctx, id)
		if errors.Is(err, access.ErrNoUser) || err != nil {
			out[id] = Person{Username: id}
			continue
		}
		out[id] = Person{Username: u.Username, DisplayName: u.DisplayName}
	}
	return out
}
