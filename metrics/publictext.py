"""Checks on commentary before it is published (pure: text in, findings out).

Commentary marked public appears in the public summary beside figures whose small counts are
withheld; words can give away what the table withholds, or name someone. The check flags, for
a person to confirm (it never edits or blocks on its own):

- small numbers: a whole number from 1 to threshold - 1, in digits ("3 Criminal Behaviour
  Orders", "2 of them") or in words ("two"). Not flagged: years and other numbers of four
  digits, dates ("3 March", "March 3", "3rd"), times ("18:00", "6pm"), percentages ("3%",
  "3 per cent": shares of a larger figure, not counts), decimals, numbers that label
  rather than count ("Section 59", "Part 4", "Phase 2"), and counts of time, distance or
  places ("2 weeks", "3 miles", "two districts"): none of these counts people or incidents.
  "no one" and "one another" are not numbers. Everything else errs towards flagging: a false
  alarm costs the approver a tick.
- names of people: a title (PC, PCSO, Sgt, DC, DS, DI, DCI, Insp, Inspector, Supt, Mr, Mrs,
  Ms, Miss, Dr, Officer, Cllr, ...) followed by a capitalised word or a collar number; and two
  or more capitalised words in a row that are not a known name (the force, divisions,
  districts and hotspots, operations and measures of the configuration, the orders and bodies
  in `KNOWN_TERMS`), a month or a weekday, once the known names in them are taken out.
- addresses: a capitalised word followed by a street word (Road, Street, Lane, Avenue, Close,
  Drive, Way, Terrace, Crescent, Place, Square, ...), and UK postcodes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from config import Catalogue

SMALL_NUMBER, PERSON, ADDRESS = "small number", "name of a person", "address"
NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
NOT_NUMBERS = ("no one", "one another", "one-off", "one-stop", "one way", "one day")
LABELS = "section part schedule chapter article phase level tier version wave stage"
UNITS = (  # counts of time, distance or places, not of people or incidents
    "second minute hour day night evening weekend week fortnight month year decade am pm mile "
    "km kilometre metre district division ward area town neighbourhood"
)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TITLES = (
    r"PC|PCSO|Sgt|Sergeant|DC|DS|DI|DCI|Insp|Inspector|Ch\.? ?Insp|Chief Inspector|Supt|"
    r"Superintendent|Constable|Officer|Mr|Mrs|Ms|Miss|Mx|Dr|Cllr|Councillor"
)
STREETS = (
    r"Road|Rd|Street|Lane|Ln|Avenue|Ave|Close|Drive|Way|Terrace|Crescent|Place|Square|Court|"
    r"Gardens|Grove|Mews|Row|Walk|Parade|Rise|View|Brow|Fold|Croft|Boulevard"
)
KNOWN_TERMS = (  # orders, powers, bodies and seasons that read as capitalised pairs
    "Anti-social Behaviour",
    "Antisocial Behaviour",
    "Criminal Behaviour Order",
    "Community Protection Notice",
    "Community Protection Warning",
    "Public Spaces Protection Order",
    "Closure Order",
    "Dispersal Order",
    "Injunction",
    "Community Safety Partnership",
    "Neighbourhood Policing Team",
    "Neighbourhood Watch",
    "Police and Crime Commissioner",
    "Police and Crime Panel",
    "Oversight Board",
    "Crown Prosecution Service",
    "Magistrates Court",
    "Youth Offending Team",
    "Lancashire Constabulary",
    "Lancashire County Council",
    "Borough Council",
    "City Council",
    "Bonfire Night",
    "Christmas",
    "New Year",
    "Easter",
    "Halloween",
    "Bank Holiday",
    "You said",
    "We did",
)
CAPITALISED = r"[A-Z][a-z]+(?:['’-][A-Za-z]+)*"
DIGITS = re.compile(
    r"(?<![\w.,:£$/-])(\d{1,3}(?:,\d{3})*|\d+)(st|nd|rd|th)?(?![\w.,:/-]*\d)(?![A-Za-z])"
)
WORDS = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)
TITLED = re.compile(rf"\b(?:{TITLES})\.?\s+(?:{CAPITALISED}|\d+)")
STREET = re.compile(rf"\b(?:\d+\s+)?{CAPITALISED}(?:\s+{CAPITALISED})*\s+(?:{STREETS})\b")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
RUN = re.compile(rf"{CAPITALISED}(?:\s+{CAPITALISED})+")


@dataclass(frozen=True)
class Finding:
    """Something to check before publication: `kind` (small number, name of a person,
    address), the words as written and the field they are in."""

    kind: str
    words: str
    field: str

    @property
    def label(self) -> str:
        return f'{self.kind}: "{self.words}" ({self.field})'


def known_names(catalogue: Catalogue) -> frozenset[str]:
    """The names of the configuration that may be capitalised pairs: places, operations,
    measures, with `KNOWN_TERMS`."""
    geo = catalogue.geography
    names = [geo.force, geo.police_force, *(d.name for d in geo.division)]
    names += [n for d in geo.district for n in (d.name, d.hotspot)]
    names += [n for o in catalogue.operations.operation for n in (o.name, o.short_name)]
    names += [n for m in catalogue.measures.measure for n in (m.title, m.short_title)]
    return frozenset(names) | frozenset(KNOWN_TERMS)


def _small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def small_numbers(text: str, *, threshold: int) -> list[str]:
    """The small numbers of `text` (see the module docstring), as written."""
    found = []
    plain = POSTCODE.sub(lambda m: " " * len(m.group(0)), text)
    for phrase in NOT_NUMBERS:
        plain = re.sub(rf"\b{re.escape(phrase)}\b", " " * len(phrase), plain, flags=re.I)
    for match in [*DIGITS.finditer(plain), *WORDS.finditer(plain)]:
        number = match.group(1)
        value = int(number.replace(",", "")) if number[0].isdigit() else None
        if value is None:
            value = NUMBER_WORDS.index(number.lower())
        if not _small(value, threshold) or match.group(0) != number:  # ordinals: dates
            continue
        before = plain[: match.start()].rstrip().split()[-1:] or [""]
        after = plain[match.end() :].lstrip()
        after_word = re.match(r"[A-Za-z%]+", after)
        next_word = after_word.group(0).lower().rstrip("s") if after_word else ""
        if before[0].lower().strip("(") in LABELS.split() or before[0] in MONTHS:
            continue
        if after.startswith("%") or next_word in ("%", "per") or next_word in MONTHS_LOWER:
            continue
        if next_word in UNITS.split() or re.match(r"(am|pm)\b", after, re.I):
            continue
        found.append(number)
    return found


MONTHS_LOWER = {m.lower() for m in MONTHS}


def _unknown_runs(text: str, known: Iterable[str]) -> list[str]:
    """Runs of two or more capitalised words that remain once known names, months and
    weekdays are blanked out (longest known names first, plurals too)."""
    plain = text
    for name in sorted(known, key=len, reverse=True):
        pattern = rf"\b{re.escape(name)}(?:s|es)?\b"
        plain = re.sub(pattern, lambda m: " " * len(m.group(0)), plain, flags=re.I)
    for word in (*MONTHS, *WEEKDAYS):
        plain = re.sub(rf"\b{word}\b", " " * len(word), plain)
    return [m.group(0) for m in RUN.finditer(plain)]


def check(
    fields: Mapping[str, str], *, threshold: int, known: Iterable[str] = KNOWN_TERMS
) -> tuple[Finding, ...]:
    """Every finding in `fields` (field name -> text), field by field, in reading order within
    each kind."""
    known = tuple(known)
    found: list[Finding] = []
    for field, text in fields.items():
        words = [(SMALL_NUMBER, n) for n in small_numbers(text, threshold=threshold)]
        people = [m.group(0) for m in TITLED.finditer(text)]
        places = [m.group(0) for m in STREET.finditer(text)]
        places += [m.group(0) for m in POSTCODE.finditer(text)]
        pairs = [r for r in _unknown_runs(text, known) if not _within(r, people + places)]
        words += [(PERSON, p) for p in people + pairs] + [(ADDRESS, a) for a in places]
        found += [Finding(kind=k, words=w, field=field) for k, w in dict.fromkeys(words)]
    return tuple(found)


def _within(words: str, found: list[str]) -> bool:
    return any(words in other or other in words for other in found)
