"""What the tests share, by job: projects and commands (``projects``), built sites (``sites``), a
real browser (``browser``), and the markers that keep the fast lane fast (``lanes``).
``tests/conftest.py`` re-exports them, so a test may import from either place."""
