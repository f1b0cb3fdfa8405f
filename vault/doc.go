// Package vault is Vellum's encrypted local note store.
//
// A vault is one SQLite database per profile, encrypted page by page in the SQLCipher v4
// format by SQLite3MultipleCiphers (AES-256-CBC with an HMAC-SHA512 per page), under a
// raw 256-bit key that lives only in the OS keychain (Windows Credential Manager, macOS
// Keychain, the Secret Service on Linux). The package is the only code in Vellum that
// speaks SQL to the local store.
//
// What it guarantees:
//
//   - Nothing is written in the clear. The database, its write-ahead log and its
//     backups are encrypted; temporary tables and sorts stay in memory. Open proves the
//     file is encrypted and that the linked SQLite is SQLite3MultipleCiphers, and refuses
//     to run otherwise. A build without the encrypting library does not compile (see
//     require_libsqlite3.go). There is no plaintext fallback, ever.
//   - The key never touches the disk in the clear and never appears in a log or an
//     error: it travels from the keychain into the DSN handed to the driver, and the DSN
//     is never printed.
//   - A committed note survives a crash: WAL with synchronous=FULL.
//   - Failure to open names its cause — no keychain, key missing, wrong key, a vault
//     file from another profile, a damaged file — and changes nothing on disk.
//   - Losing the keychain does not lose notes when a recovery recipient is configured:
//     the key is escrowed beside the vault, wrapped to the hospital's age X25519
//     recipient, and re-wrapped on every rekey (Recover restores it).
//
// What it does not do: it does not protect against malware running as the same OS user
// while the keychain is unlocked (it can ask the keychain for the key), and shredding a
// vault cannot reach backups or copies kept elsewhere — those stay readable by the
// recovery identity. Several processes may read a vault at once, but Rekey and Shred
// assume they are the only process with it open.
//
// On-disk layout of a profile directory, and the backup format, are specified in
// FORMAT.md beside this file.
package vault
