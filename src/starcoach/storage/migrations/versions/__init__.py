"""One module per schema revision, oldest first; each is applied once and never edited."""
