"""The one rule for text people type or name: `config.text.clean_text`."""

import pytest

from config.text import clean_text


@pytest.mark.parametrize(
    ("value", "multiline", "expected"),
    [
        ("returns.csv", False, "returns.csv"),
        ("invoice\u202egpj.exe", False, "invoicegpj.exe"),  # right-to-left override
        ("a\u2066b\u2069c\u200fd", False, "abcd"),  # isolates and marks
        ("\ufeffname.csv", False, "name.csv"),  # byte-order mark
        ("bell\x07null\x00esc\x1b[31m", False, "bellnullesc[31m"),
        ("c1\x85\x9bend", False, "c1end"),
        ("two\nlines\tand tab", False, "two lines and tab"),
        ("two\r\nlines\rhere", True, "two\nlines\nhere"),
        ("keep\ttab\nand line", True, "keep\ttab\nand line"),
        ("  padded  ", False, "padded"),
        (
            "[link](http://x) ![img](http://y) <script>",
            False,
            "[link](http://x) ![img](http://y) <script>",
        ),
        ("émoji 👮\u200d♀️", False, "émoji 👮\u200d♀️"),  # joiners in emoji kept
    ],
)
def test_clean_text(value, multiline, expected):
    assert clean_text(value, multiline=multiline) == expected
