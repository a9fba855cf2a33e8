"""Publishing: the only layer that imports MkDocs or Material. It adapts a planned site to an
engine and writes files; it decides nothing about releases."""
