// Package policy is Vellum's managed settings: what each setting is, where values come
// from, and how they merge — kept apart, after tailscale's util/syspolicy.
//
//   - Definitions (settings.go): every setting's key, type, default, documentation, and
//     whether a user may set it at all. Security settings (idle timeout, TOTP, admin
//     bootstrap, secrets) are machine-only.
//   - Sources (sources.go): defaults < user preferences (prefs.json in the profile) <
//     machine policy file (written by the installer) < OS policy (Windows
//     HKLM\SOFTWARE\Policies\Vellum, macOS managed preferences for health.vellum.desktop,
//     Linux /etc/vellum/policy.json). Each source yields raw values; none knows the others.
//   - Merge (merge.go): the effective value of every setting with its origin. A key set
//     by the machine file or the OS policy is locked: the user's value is ignored and the
//     UI says the setting is managed by the organisation.
//
// A malformed source is refused with an error that names the file, the line and the
// key, and its last good values stay in force (Watcher); a bad file never turns a
// locked setting back into a user-controlled one. Reload is live: Watcher follows the
// files with fsnotify (atomic renames included) and polls the registry and managed
// preferences.
//
// What it does not do: it does not authenticate who wrote a machine file — the OS's
// file permissions do (/etc, %ProgramData%, /Library are writable by administrators
// only) — and it does not record changes itself: Watcher reports them, and the caller
// hands them to the audit log.
package policy
