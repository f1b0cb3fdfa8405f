// Package policy will hold managed settings: definitions, sources (defaults, user
// preferences, machine policy file, Windows registry, macOS managed preferences) and
// their merge into effective values with origins, reloaded live. It arrives with the
// access-control and policy issue; until then settings come from flags and the
// environment (VELLUM_PROFILE, VELLUM_RECOVERY_RECIPIENT).
package policy
