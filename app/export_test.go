package app

import "github.com/vellumhealth/vellum/vault"

// VaultForTest lets the tests look at the vault behind the use cases, to see what a
// refused or failed use case left there.
func (a *App) VaultForTest() *vault.Vault { return a.vault }
