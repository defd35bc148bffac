"""The password rule (issue 26, after OWASP ASVS 2.1 and NCSC guidance): length, and not a
password an attacker would try early.

The rules, in the order they are told:
- at least MIN_LENGTH characters (length beats composition rules);
- not blank and not one character repeated (`aaaaaaaaaaaa`, twelve spaces);
- not guessable: zxcvbn (shipped with the product as a package, its lists inside it; nothing
  is fetched at run time) must estimate at least MIN_GUESSES guesses. Its lists hold the
  30,000 commonest passwords of breached-password sets plus words, names and film titles;
  a password that is one of them, or is built from them with keyboard runs, sequences,
  repeats, dates or common substitutions (`P@ssw0rd2024!`), scores below the bar.
Only the first MAX_CHECKED characters are estimated (zxcvbn's cost grows with length; a
longer password is strong by its length). Nothing here stores or logs a password."""

from __future__ import annotations

from zxcvbn import zxcvbn

MIN_LENGTH = 12  # NCSC guidance favours length over composition rules
MIN_GUESSES = 10**8  # zxcvbn's score 3: "safely unguessable" against throttled online guessing
MAX_CHECKED = 72  # characters zxcvbn estimates (its own default limit)

TOO_SHORT = f"A password needs at least {MIN_LENGTH} characters."
TRIVIAL = "A password cannot be blank or one character repeated: choose a few unrelated words."
GUESSABLE = (
    "That password is too easy to guess: it is a common or breached password, or is built "
    "from one (or from common words, names, dates, repeats or keyboard runs). Choose a phrase "
    "of three or four unrelated words."
)


def password_problem(password: str) -> str | None:
    """Why `password` cannot be used (a message for the person choosing it), or None."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(set(password.strip())) <= 1:
        return TRIVIAL
    if zxcvbn(password[:MAX_CHECKED], max_length=MAX_CHECKED)["guesses"] < MIN_GUESSES:
        return GUESSABLE
    return None
