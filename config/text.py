"""The one rule for text people type or name (file names, commentary, notes, account names):
control and direction-changing characters are removed before the text is checked, stored or
shown, so what is stored reads as what is shown (a right-to-left override in a file name made
"gpj.exe" read as "exe.jpg"). Showing it as plain text (never markdown or HTML) is the
presentation layer's job."""

from __future__ import annotations

import unicodedata

# Characters that change the direction or joining of the text around them (Unicode "Cf"
# bidirectional controls), besides the "Cc" control characters.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
KEPT_IN_MULTILINE = frozenset("\n\t")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """`value` without control characters (Unicode category Cc, so NUL, escape and the C1
    set), bidirectional controls and the byte-order mark; line breaks and tabs are kept when
    `multiline` (commentary), otherwise turned into spaces. Carriage returns become line
    breaks. Leading and trailing spaces are removed."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for char in text:
        if multiline and char in KEPT_IN_MULTILINE:
            kept.append(char)
        elif char in "\n\t":
            kept.append(" ")
        elif char in BIDI_CONTROLS or char == "\ufeff" or unicodedata.category(char) == "Cc":
            continue
        else:
            kept.append(char)
    return "".join(kept).strip()


# Text a spreadsheet (Excel, LibreOffice) runs as a formula when a cell starts with one of these
# ("CSV injection"). Downloads quote such text (`present.exports`); review sheets keep it as text
# (`dipsampling.sheets`). Here, at the bottom of the house, so that both can use the one rule.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
