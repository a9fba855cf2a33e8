"""Note importers: towncrier fragments, reno notes, changesets and Conventional Commits, read from
a service's repository as untrusted text. They know nothing of releases beyond a version's git
range; what they return is plain items (Markdown text, a source reference, where it was written),
which validate checks like any YAML value and plan renders through the one safe Markdown path."""
