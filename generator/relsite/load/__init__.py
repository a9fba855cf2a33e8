"""Loading: the files of a folder, read as YAML into plain data with the position of every value.

Knows nothing of releases; ``reader`` turns one file into a ``Document``, ``folder`` finds the files
of a folder and loads them, in several processes when there are many.
"""
