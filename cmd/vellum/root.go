package main

func root() *command {
	return &command{
		name:    "vellum",
		summary: "on-device clinical note drafting with an encrypted vault and an audit trail",
		example: `vellum notes add --file note.txt
vellum notes search pneumonia
vellum --profile /srv/demo vault check`,
		subs: []*command{loginCommand(), logoutCommand(), lockCommand(), unlockCommand(), whoamiCommand(),
			breakGlassCommand(), usersCommand(), draftCommand(), notesCommand(), vaultCommand(), auditCommand(), modelsCommand(), policyCommand(), versionCommand()},
	}
}
