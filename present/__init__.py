"""Everything the dashboard says and how it lays figures out, in one place with no Streamlit:
wording (`wording` and the `*_wording` modules), table shaping (`measure_table`), CSV escaping
(`exports`), plotly figure building (`charts`, `chart_gaps`, `maps`, `public_chart`), glyphs and
the board pack's words (`pack_words`). The pages, the board pack, the public summary and the
command line all use it, so they say the same thing figure for figure.

The rule (kept by the import-linter contract in pyproject.toml, `lint-imports`): nothing here
imports `streamlit`, `views`, `commands` or the outputs (`boardpack`, `publicsummary`, `demo`);
it may import the services, `scoring`, `ingest`, `metrics`, `db` (for their result types) and
`config`. Nothing here computes a figure: it words and lays out what those computed.
"""
