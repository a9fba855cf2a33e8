"""One module per family of pages; each turns (facts, view models) into planned ``Page`` objects."""
