"""Every way an article enters the database: files, a pasted text, a backup. Read, clean,
extract, store; see ARCHITECTURE.md."""
