"""The password rule (issue 26, `auth.passwords`): at least 12 characters, not blank or one
character repeated, and not guessable from the common and breached passwords and words that
zxcvbn ships with the product. One case per rule; the command line and every form call it."""

from __future__ import annotations

import pytest

import auth
from auth.passwords import GUESSABLE, TOO_SHORT, TRIVIAL, password_problem


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("", TOO_SHORT),
        ("elevenchars", TOO_SHORT),  # 11 characters, however odd
        ("aaaaaaaaaaaa", TRIVIAL),  # the example
        (" " * 12, TRIVIAL),  # twelve spaces
        ("\t \t \t \t \t \t ", TRIVIAL),  # whitespace of any kind
        ("password1234", GUESSABLE),  # a breached password and a sequence
        ("P@ssw0rd2024!", GUESSABLE),  # substitutions and a year do not hide it
        ("qwertyuiop12", GUESSABLE),  # a keyboard run
        ("123456789012", GUESSABLE),  # a sequence
        ("iloveyou2024", GUESSABLE),  # a common password and a year
        ("abcabcabcabc", GUESSABLE),  # a repeat of a few characters
        ("lancashire2026", GUESSABLE),  # a dictionary word and a year
        ("correct horse battery staple", None),  # four unrelated words
        ("a long e2e password", None),  # the browser tests' password
        ("Vq7#t2!mZp9@", None),  # 12 random characters
        ("mangle quartz fennel " * 10, None),  # long: only the first 72 are estimated
    ],
)
def test_the_password_rule(password, problem):
    assert password_problem(password) == problem
    assert auth.password_problem(password) == problem  # the name the command line uses


def test_the_messages_say_what_to_do():
    assert "12 characters" in TOO_SHORT
    assert "unrelated words" in TRIVIAL and "unrelated words" in GUESSABLE
