package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"filippo.io/age"
	"golang.org/x/term"

	"github.com/vellumhealth/vellum/access"
	"github.com/vellumhealth/vellum/app"
	"github.com/vellumhealth/vellum/audit"
	"github.com/vellumhealth/vellum/vault"
)

func vaultCommand() *command {
	return &command{
		name:    "vault",
		summary: "check, rekey, back up, restore, recover or shred the encrypted vault",
		example: `vellum vault check
vellum vault backup /mnt/backups/vellum-$(date +%F).vbk
vellum vault recover --identity /secure/recovery.key`,
		subs: []*command{vaultCheck(), vaultRekey(), vaultBackup(), vaultRestore(), vaultRecover(), vaultRecoverKeys(), vaultPurge(), vaultShred()},
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
			in, err := e.app.CheckVault(ctx)
			if errors.Is(err, access.ErrDenied) || errors.Is(err, access.ErrSessionLocked) {
				return err
			}
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
				{"notes", notesRow(in.Notes, in.SealedNotes)},
				{"note keys", noteKeysRow(in.NoteKeys, in.UnescrowedNoteKeys)},
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

func notesRow(notes, sealed int) string {
	if sealed == notes {
		return fmt.Sprintf("%d, all sealed to their physician's key", notes)
	}
	return fmt.Sprintf("%d, %d sealed to their physician's key (the rest at their physician's next sign-in)", notes, sealed)
}

func noteKeysRow(keys, unescrowed int) string {
	if unescrowed == 0 {
		return fmt.Sprintf("%d, all escrowed", keys)
	}
	return fmt.Sprintf("%d, %d not escrowed (set a recovery recipient; each is escrowed at its physician's next sign-in)", keys, unescrowed)
}

func vaultRekey() *command {
	return &command{
		name:    "rekey",
		summary: "re-encrypt the vault under a new key (old key dropped only after the rekey commits)",
		example: `vellum vault rekey`,
		vault:   existingVault,
		auth:    true,
		run: func(ctx context.Context, e *env, args []string) error {
			before, after, err := e.app.Rekey(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "rekeyed vault %s: key fingerprint %s -> %s\n", e.app.VaultID(), before, after)
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
			info, err := e.app.Backup(ctx, args[0], progress)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "backed up %d notes of vault %s to %s, signed by device %s\n", info.Notes, info.VaultID, args[0], signerID(info.Signer))
			return nil
		},
	}
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
	var asJSON, unsigned bool
	var signers stringList
	return &command{
		name:    "restore",
		args:    "FILE",
		summary: "add the notes of a backup that the vault lacks (never overwrites a note), if a trusted device signed it",
		example: `vellum vault restore /mnt/backups/vellum.vbk --identity /secure/recovery.key
vellum vault restore old-ws.vbk --identity /secure/recovery.key --signer d_3f9a0c2b7d5e81f4a6c2   # another workstation's backup`,
		flags: func(fs *flag.FlagSet) {
			identityFlag(fs, &identity)
			fs.Var(&signers, "signer", "a device (d_... or its public key) whose backups to trust, as `vault backup` printed it; repeatable (this vault's own devices are trusted)")
			fs.BoolVar(&unsigned, "unsigned", false, "accept an unsigned backup (format version 1, made before backups were signed); you vouch for the file")
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
			a, err := e.openSignedIn(ctx, true)
			if err != nil {
				return err
			}
			defer e.closeVault()
			res, err := a.Restore(ctx, f, ids, app.RestoreTrust{Signers: signers, Unsigned: unsigned})
			if err != nil {
				return err
			}
			if asJSON {
				return e.printJSON(res)
			}
			signer := "unsigned"
			if res.Signer != "" {
				signer = "signed by device " + signerID(res.Signer)
			}
			fmt.Fprintf(e.stderr, "restored from a backup of vault %s made %s (%s): %d notes added, %d already present; %d users added (disabled: enable them with `vellum users enable`; scribes wait for their physician's approval)",
				res.VaultID, res.Created.Local().Format("2006-01-02 15:04"), signer, res.Added, res.Unchanged, len(res.UsersAdded))
			if len(res.UsersUnmatched) > 0 {
				fmt.Fprintf(e.stderr, "; %d not restored because this vault has the name under another id (%v): their notes keep the old owner id, for `vellum notes reassign`",
					len(res.UsersUnmatched), res.UsersUnmatched)
			}
			if len(res.Conflicts) > 0 {
				fmt.Fprintf(e.stderr, ", %d kept as they are in this vault (the backup's version differs): %v", len(res.Conflicts), res.Conflicts)
			}
			if res.Sealed > 0 {
				fmt.Fprintf(e.stderr, "; %d notes came sealed to their physician's key (a physician who has no copy of it here gets it with `vellum vault recover-keys` after signing in)", res.Sealed)
			}
			if len(res.KeysUnmatched) > 0 {
				fmt.Fprintf(e.stderr, "; the sealed notes of %v were not restored: this vault has another note key for them (the backup keeps them)", res.KeysUnmatched)
			}
			fmt.Fprintln(e.stderr)
			return nil
		},
	}
}

// identityFlag is the --identity flag of the commands that need the hospital's
// recovery identity.
func identityFlag(fs *flag.FlagSet, path *string) {
	fs.StringVar(path, "identity", "", "file with the recovery identity (AGE-SECRET-KEY-1...)")
}

func vaultRecover() *command {
	var identity string
	return &command{
		name:    "recover",
		summary: "put the vault key back into the keychain from its escrow, with the recovery identity",
		example: `vellum vault recover --identity /secure/recovery.key`,
		flags: func(fs *flag.FlagSet) {
			identityFlag(fs, &identity)
		},
		run: func(ctx context.Context, e *env, args []string) error {
			ids, err := readIdentities(identity)
			if err != nil {
				return err
			}
			a, err := e.core()
			if err != nil {
				return err
			}
			defer e.closeVault()
			if err := a.Recover(ctx, ids); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "the vault key of %s is back in the keychain\n", a.Dir())
			return nil
		},
	}
}

func vaultRecoverKeys() *command {
	var identity string
	return &command{
		name:    "recover-keys",
		summary: "give physicians back their note keys from the escrow, with the recovery identity (admins)",
		example: `vellum vault recover-keys --identity /secure/recovery.key`,
		flags: func(fs *flag.FlagSet) {
			identityFlag(fs, &identity)
		},
		run: func(ctx context.Context, e *env, args []string) error {
			ids, err := readIdentities(identity)
			if err != nil {
				return err
			}
			a, err := e.openSignedIn(ctx, false)
			if err != nil {
				return err
			}
			defer e.closeVault()
			got, err := a.RecoverNoteKeys(ctx, ids)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "note keys given back to %d physician(s); they read their notes at their next sign-in\n", len(got.Owners))
			if len(got.Skipped) > 0 {
				fmt.Fprintf(e.stderr, "not recovered (escrowed to another recovery identity, or altered): %v\n", got.Skipped)
			}
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
			a, err := e.core()
			if err != nil {
				return err
			}
			r, err := a.RetentionFor(signedDays, draftDays)
			if err != nil {
				return usageError{"vault purge: " + err.Error()}
			}
			if _, err := e.openSignedIn(ctx, false); err != nil {
				return err
			}
			defer e.closeVault()
			p, _, err := a.Purge(ctx, r)
			if err != nil {
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
			a, err := e.core()
			if err != nil {
				return err
			}
			if !yes {
				return usageError{fmt.Sprintf("vault shred destroys every note in %s for good; add --yes to confirm", a.Dir())}
			}
			defer e.closeVault()
			// The user, if one is signed in; an OS administrator may have none.
			if a.OpenVault(ctx, false) == nil && e.signIn(ctx) != nil {
				// No usable session: an OS administrator shreds without one, anyone
				// else is refused by the core.
				a.DropSession()
			}
			if err := a.Shred(ctx, force); err != nil {
				return err
			}
			fmt.Fprintf(e.stderr, "shredded the vault in %s (backups elsewhere still exist until their keeper destroys them)\n", a.Dir())
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

// signerID names a backup's signer as the device id a restore's --signer takes.
func signerID(pubHex string) string {
	pub, err := hex.DecodeString(pubHex)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return pubHex
	}
	return audit.DeviceID(pub)
}

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error { *l = append(*l, s); return nil }
