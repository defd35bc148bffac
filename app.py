"""Entry point: `streamlit run app.py` (or `streamlit run serve.py`, which serves this file).

On the embedded SQLite default the store is created, and filled with demonstration data when
empty and without any account, on first start. Any other store (PostgreSQL) is only read:
prepare it with `python manage.py init` and load data with the command line. A store without
accounts has its one-time set-up code printed to the server's log (`auth.setup`). The run
itself, page settings, store and navigation, is `views.start.run_app`.
"""

from views.start import run_app

run_app()
