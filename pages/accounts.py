"""Accounts (admins only): everyone who may sign in, and adding an account, changing its role,
setting a new password, disabling, enabling and unlocking it, each audited
(`views.accounts_view`)."""

from present import accounts_wording as w
from views import accounts_view, ui

ui.page_header(w.TITLE, empty_ok=True)
accounts_view.show()
