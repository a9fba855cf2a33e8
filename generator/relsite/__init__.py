"""relsite: release definitions in YAML, validated and published as a release portal.

The pipeline runs in one direction: ``load`` (files to data with positions) → ``validate`` (typed
models, lifecycle, rules) → ``plan`` (view models, pages, feeds) → ``publish`` (MkDocs and other
engines). ``cli`` parses arguments and calls the stages; ``pipeline`` strings the first three
together for the publishers.
"""
