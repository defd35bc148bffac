"""The command line: every sub-command of manage.py (`users`, `areas`, `pack`, `backup`,
`sample`, `load`, `public`, `scores`, `backtest`) and the argument types they share
(`arguments`).

The rule (kept by the import-linter contract in pyproject.toml, `lint-imports`): a command
module reads its arguments, calls the services, outputs and calculations below it and prints;
it holds no rule of its own that a page would need too (those live in `scoring`, `auth`,
`present` ...), and nothing below imports it. It never imports `streamlit` or `views`.
"""
