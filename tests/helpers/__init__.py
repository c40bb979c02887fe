"""Plain functions the tests share (fixtures live in the conftest.py files). `tests/` is on the
import path (pyproject.toml: [tool.pytest.ini_options] pythonpath), so tests import them as
`from helpers.pilot import settle`."""
