# Shortcuts; the README's two commands (./bootstrap, .venv/bin/python -m pytest -n 2) need none of these.
PY := .venv/bin/python

.PHONY: setup test fast site serve screenshots bench bench-smoke fuzz
setup:
	./bootstrap --no-build
test:
	$(PY) -m pytest -n 2
fast:
	$(PY) -m pytest -m "not site and not browser and not slow and not index"
site:
	.venv/bin/relsite build --today 2026-11-27
serve:
	.venv/bin/relsite serve
screenshots: site
	$(PY) tools/screenshots.py --site site --out screenshots
bench:
	$(PY) -m bench
bench-smoke:
	$(PY) -m bench --sizes 200 --smoke
fuzz:
	.venv/bin/pip install -q atheris && $(PY) tests/fuzz/fuzz_loader.py -max_total_time=300 tests/fuzz/regressions
