package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/debug"

	"filippo.io/age"
	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/policy"
	"github.com/vellumhealth/vellum/vault"
	"golang.org/x/term"
)

func vaultCommand() *command {
	return &command{
		name:    "vault",
		summary: "check, rekey, back up, restore, recover or shred the encrypted vault",
		example: `vellum vault check
vellum vault backup /mnt/backups/vellum-$(date +%F).vbk
vellum vault recover --identity /secure/recovery.key`,
		subs: []*command{vaultCheck(), vaultRekey(), vaultBackup(), vaultRestore(), vaultRecover(), vaultPurge(), vaultShred()},
	}
}

func vaultCheck() *command {
	var asJSON bool
	return &command{
		name:    "check",
		summary: "verify every page and the schema; print how the vault is kept",
		example: `vellum vault check --json`,
		flags:   func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON") },
		vault:   existingVault,
		auth:    true,
		run: func(ctx context.Context, e *env, args []string) error {
			if err := e.authorize(ctx, access.VaultCheck, ""); err != nil {
				return err
			}
			v := e.vault
			in, err := v.Check(ctx)
			if asJSON {
				if jerr := e.printJSON(in); jerr != nil {
					return jerr
				}
				return err
			}
			fmt.Fprintf(e.stdout, "vault %s\n", in.VaultID)
			rows := [][2]string{
				{"profile", in.Dir},
				{"encryption", fmt.Sprintf("%s (%s, SQLite %s)", in.Cipher, in.CipherLib, in.SQLite)},
				{"key fingerprint", in.KeyFingerprint},
				{"journal", fmt.Sprintf("%s, synchronous=%s, secure_delete=%v", in.JournalMode, in.Synchronous, in.SecureDelete)},
				{"schema", fmt.Sprint(in.SchemaVersion)},
				{"notes", fmt.Sprint(in.Notes)},
				{"size", fmt.Sprintf("%d bytes", in.Bytes)},
				{"key escrow", map[bool]string{true: "present", false: "none (set a recovery recipient)"}[in.Escrowed]},
				{"integrity", in.Integrity},
			}
			for _, r := range rows {
				fmt.Fprintf(e.stdout, "  %-16s %s\n", r[0]+":", r[1])
			}
			return err
		},
	}
}

func vaultRekey() *command {
	return &command{
		name:    "rekey",
		summary: "re-encrypt the vault under a new key (old key dropped only after the rekey commits)",
		example: `vellum vault rekey`,
		vault:   existingVault,
		auth:    true,
		run: func(ctx context.Context, e *env, args []string) error {
			if err := e.authorize(ctx, access.VaultAdmin, ""); err != nil {
				return err
			}
			v := e.vault
			before, _ := v.Check(ctx)
			if err := v.Rekey(ctx); err != nil {
				return err
			}
			after, err := v.Check(ctx)
			if err != nil {
				return err
			}
			if err := e.record(ctx, audit.KeyRotated, audit.Object{Type: "vault", ID: v.ID()}, "",
				map[string]string{"old_fingerprint": before.KeyFingerprint, "new_fingerprint": after.KeyFingerprint}, audit.OK); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "rekeyed vault %s: key fingerprint %s -> %s\n", v.ID(), before.KeyFingerprint, after.KeyFingerprint)
			return nil
		},
	}
}

func vaultBackup() *command {
	return &command{
		name:    "backup",
		args:    "FILE",
		summary: "write an encrypted backup of every note, readable with the recovery identity",
		example: `vellum vault backup /mnt/backups/vellum.vbk`,
		vault:   existingVault,
		nargs:   1,
		auth:    true,
		run: func(ctx context.Context, e *env, args []string) error {
			// On a terminal the backup says how far it has come; Ctrl+C stops it and
			// leaves no file.
			var progress vault.Progress
			if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
				progress = func(done, total int) { fmt.Fprintf(e.stderr, "\rbacking up: %d of %d notes", done, total) }
				defer fmt.Fprintln(e.stderr)
			}
			info, err := e.backupVault(ctx, args[0], progress)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "backed up %d notes of vault %s to %s\n", info.Notes, info.VaultID, args[0])
			return nil
		},
	}
}

// backupVault writes an encrypted backup to path (admins only) and records it.
func (e *env) backupVault(ctx context.Context, path string, progress vault.Progress) (vault.BackupInfo, error) {
	if err := e.authorize(ctx, access.VaultAdmin, ""); err != nil {
		return vault.BackupInfo{}, err
	}
	info, err := e.vault.BackupFile(ctx, path, progress)
	if err != nil {
		return info, err
	}
	return info, e.record(ctx, audit.Backup, audit.Object{Type: "vault", ID: e.vault.ID()}, "",
		map[string]string{"notes": fmt.Sprint(info.Notes), "users": fmt.Sprint(info.Users)}, audit.OK)
}

func readIdentities(path string) ([]age.Identity, error) {
	if path == "" {
		return nil, usageError{"--identity FILE is required (the hospital's recovery identity, AGE-SECRET-KEY-1...)"}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return vault.ParseIdentities(f)
}

func vaultRestore() *command {
	var identity string
	var asJSON bool
	return &command{
		name:    "restore",
		args:    "FILE",
		summary: "add the notes of a backup that the vault lacks (never overwrites a note)",
		example: `vellum vault restore /mnt/backups/vellum.vbk --identity /secure/recovery.key`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&identity, "identity", "", "file with the recovery identity (AGE-SECRET-KEY-1...)")
			fs.BoolVar(&asJSON, "json", false, "print JSON")
		},
		nargs: 1,
		run: func(ctx context.Context, e *env, args []string) error {
			ids, err := readIdentities(identity)
			if err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			if err := e.openSignedIn(ctx, true); err != nil {
				return err
			}
			defer e.closeVault()
			if err := e.authorize(ctx, access.VaultAdmin, ""); err != nil {
				return err
			}
			v := e.vault
			res, err := v.Restore(ctx, f, ids)
			if err != nil {
				return err
			}
			if err := e.record(ctx, audit.Restore, audit.Object{Type: "vault", ID: v.ID()}, "",
				map[string]string{"backup_of": res.VaultID, "notes_added": fmt.Sprint(res.Added), "users_added": fmt.Sprint(len(res.UsersAdded)),
					"users_mapped": fmt.Sprint(len(res.UsersMapped)), "conflicts": fmt.Sprint(len(res.Conflicts))}, audit.OK); err != nil {
				return err
			}
			for _, id := range res.UsersAdded {
				if err := e.record(ctx, audit.UserAdded, audit.Object{Type: "user", ID: id}, "", map[string]string{"restored": "true", "disabled": "true"}, audit.OK); err != nil {
					return err
				}
			}
			if asJSON {
				return e.printJSON(res)
			}
			fmt.Fprintf(e.stderr, "restored from a backup of vault %s: %d notes added, %d already present; %d users added (disabled: enable them with `vellum users enable`), %d matched by name",
				res.VaultID, res.Added, res.Unchanged, len(res.UsersAdded), len(res.UsersMapped))
			if len(res.Conflicts) > 0 {
				fmt.Fprintf(e.stderr, ", %d kept as they are in this vault (the backup's version differs): %v", len(res.Conflicts), res.Conflicts)
			}
			fmt.Fprintln(e.stderr)
			return nil
		},
	}
}

func vaultRecover() *command {
	var identity string
	return &command{
		name:    "recover",
		summary: "put the vault key back into the keychain from its escrow, with the recovery identity",
		example: `vellum vault recover --identity /secure/recovery.key`,
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&identity, "identity", "", "file with the recovery identity (AGE-SECRET-KEY-1...)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			ids, err := readIdentities(identity)
			if err != nil {
				return err
			}
			o, err := e.options()
			if err != nil {
				return err
			}
			if err := vault.Recover(ctx, o, ids); err != nil {
				return err
			}
			if _, err := e.openVault(ctx, false); err != nil {
				return err
			}
			defer e.closeVault()
			if err := e.record(ctx, audit.Recovery, audit.Object{Type: "vault", ID: e.vault.ID()}, "", nil, audit.OK); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "the vault key of %s is back in the keychain\n", o.Dir)
			return nil
		},
	}
}

func vaultPurge() *command {
	var signedDays, draftDays int
	var asJSON bool
	return &command{
		name:    "purge",
		summary: "delete exported signed notes and stale drafts past their retention (policy's, unless given)",
		example: `vellum vault purge
vellum vault purge --signed-days 30 --draft-days 14`,
		flags: func(fs *flag.FlagSet) {
			fs.IntVar(&signedDays, "signed-days", -1, "remove signed notes exported to the EHR and signed more than N days ago (0: keep; default: policy retention_signed_days)")
			fs.IntVar(&draftDays, "draft-days", -1, "remove drafts unchanged for more than N days (0: keep; default: policy retention_draft_days)")
			fs.BoolVar(&asJSON, "json", false, "print JSON")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			snap, err := e.policy()
			if err != nil {
				return err
			}
			var r vault.Retention
			for _, x := range []struct {
				flag int
				key  policy.Key
				dst  *int
			}{{signedDays, policy.RetentionSignedDays, &r.SignedDays}, {draftDays, policy.RetentionDraftDays, &r.DraftDays}} {
				st := snap.Get(x.key)
				switch {
				case x.flag < -1:
					return usageError{"vault purge: days cannot be negative"}
				case x.flag == -1:
					*x.dst = st.Value.(int)
				case st.Locked() && x.flag != st.Value.(int):
					return usageError{fmt.Sprintf("vault purge: %s is managed by your organisation (%d days, %s)", x.key, st.Value, st.Source)}
				default:
					*x.dst = x.flag
				}
			}
			if err := e.openSignedIn(ctx, false); err != nil {
				return err
			}
			defer e.closeVault()
			if err := e.authorize(ctx, access.VaultAdmin, ""); err != nil {
				return err
			}
			v := e.vault
			offline, err := e.deliverFirst(ctx, "purge")
			if err != nil {
				return err
			}
			p, err := v.Purge(ctx, r)
			if err != nil {
				return err
			}
			if err := e.record(ctx, audit.Purge, audit.Object{Type: "vault", ID: v.ID()}, "",
				map[string]string{"signed_purged": fmt.Sprint(p.Signed), "drafts_purged": fmt.Sprint(p.Drafts),
					"signed_days": fmt.Sprint(r.SignedDays), "draft_days": fmt.Sprint(r.DraftDays), "offline": fmt.Sprint(offline)}, audit.OK); err != nil {
				return err
			}
			if asJSON {
				return e.printJSON(p)
			}
			fmt.Fprintf(e.stderr, "purged %d signed notes and %d drafts (retention: signed %d days, drafts %d days; 0 keeps)\n", p.Signed, p.Drafts, r.SignedDays, r.DraftDays)
			return nil
		},
	}
}

func vaultShred() *command {
	var yes, force bool
	return &command{
		name: "shred",
		summary: "crypto-shred the vault: the key leaves the keychain, then the files go " +
			"(backups kept elsewhere are not reached)",
		example: `vellum vault shred --yes`,
		flags: func(fs *flag.FlagSet) {
			fs.BoolVar(&yes, "yes", false, "confirm: every note in this profile is destroyed")
			fs.BoolVar(&force, "force", false, "remove the files even when vault.json is damaged (the keychain entry then stays)")
		},
		run: func(ctx context.Context, e *env, args []string) error {
			o, err := e.options()
			if err != nil {
				return err
			}
			if !yes {
				return usageError{fmt.Sprintf("vault shred destroys every note in %s for good; add --yes to confirm", o.Dir)}
			}
			if err := e.mayShred(ctx, o); err != nil {
				return err
			}
			if err := e.recordShred(ctx, o); err != nil {
				return err
			}
			if err := vault.Shred(ctx, o, force); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "shredded the vault in %s (backups elsewhere still exist until their keeper destroys them)\n", o.Dir)
			return nil
		},
	}
}

func versionCommand() *command {
	return &command{
		name:    "version",
		summary: "print the version",
		example: `vellum version`,
		run: func(ctx context.Context, e *env, args []string) error {
			v := "(devel)"
			if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
				v = bi.Main.Version
			}
			fmt.Fprintf(e.stdout, "vellum %s\n", v)
			return nil
		},
	}
}

// mayShred: a signed-in admin may shred; so may an OS administrator, because a vault
// that needs shredding may be one nobody can open any more.
func (e *env) mayShred(ctx context.Context, o vault.Options) error {
	if access.IsOSAdmin() {
		return nil
	}
	if _, err := e.openVault(ctx, false); err != nil {
		return fmt.Errorf("%w: the vault does not open (%v), and only an OS administrator may shred it then", access.ErrDenied, err)
	}
	defer e.closeVault()
	if err := e.signIn(ctx); err != nil {
		return err
	}
	return e.authorize(ctx, access.VaultAdmin, "")
}

// recordShred: the journal goes with the vault, so its records must reach the collector
// first, the shred's own record included. Where that cannot happen (no collector
// configured, or unreachable), policy must allow offline shredding, and the shred is
// then the journal's last record. A vault that does not open has no readable journal
// to lose.
func (e *env) recordShred(ctx context.Context, o vault.Options) error {
	snap, err := e.policy()
	if err != nil {
		return err
	}
	if _, err := e.openVault(ctx, false); err != nil {
		return nil
	}
	defer e.closeVault()
	e.signIn(ctx) // the user, if one is signed in; an OS administrator may have none
	// Deliver first; the shred record itself then goes too.
	_, pending, err := e.deliverAll(ctx)
	if err == nil && pending == 0 {
		if err = e.record(ctx, audit.Shred, audit.Object{Type: "vault", ID: e.vault.ID()}, "", map[string]string{"offline": "false", "phase": "starting"}, audit.OK); err != nil {
			return err
		}
		if _, pending, err = e.deliverAll(ctx); err == nil && pending == 0 {
			return nil
		}
	}
	if err == nil {
		err = fmt.Errorf("%d records still pending", pending)
	}
	if !snap.Bool(policy.AllowOfflineShred) {
		return fmt.Errorf("the vault's audit records have not all reached the hospital's collector (%v), and shredding would destroy them; deliver them first (`vellum audit sync`), or ask IT to allow offline shredding (policy %s)", err, policy.AllowOfflineShred)
	}
	return e.record(ctx, audit.Shred, audit.Object{Type: "vault", ID: e.vault.ID()}, "", map[string]string{"offline": "true", "phase": "starting"}, audit.OK)
}

// deliverFirst: before a disposal (retention purge), every pending audit record goes to
// the collector; where it cannot, policy must allow offline disposal.
func (e *env) deliverFirst(ctx context.Context, what string) (offline bool, err error) {
	snap, err := e.policy()
	if err != nil {
		return false, err
	}
	_, pending, err := e.deliverAll(ctx)
	if err == nil && pending == 0 {
		return false, nil
	}
	if err == nil {
		err = fmt.Errorf("%d records still pending", pending)
	}
	if snap.Bool(policy.AllowOfflineShred) {
		return true, nil
	}
	return false, fmt.Errorf("the audit records have not all reached the hospital's collector (%v); deliver them first (`vellum audit sync`) before the %s, or ask IT to allow offline disposal (policy %s)", err, what, policy.AllowOfflineShred)
}
