"""How the public summary names and explains each measure to residents (`present.public_wording`
uses it): a heading, the words for one and for many, and what is counted, in plain English
(short words and sentences: the summary aims at a reading age of about 9, as GOV.UK does; see
tests/test_public_summary.py). A measure configured for the summary without words here falls
back to its catalogue title and definition."""

from __future__ import annotations

from dataclasses import dataclass

from config import Catalogue


@dataclass(frozen=True)
class Words:
    heading: str
    one: str
    many: str
    counted: str


MEASURES = {
    "asb_incidents": Words(
        "Anti-social behaviour",
        "report of anti-social behaviour",
        "reports of anti-social behaviour",
        "Calls and reports to the police about anti-social behaviour. We count each one in the "
        "month and the place where it took place.",
    ),
    "asb_vehicle_incidents": Words(
        "Anti-social behaviour with motorbikes and e-bikes",
        "report of anti-social behaviour with a motorbike or e-bike",
        "reports of anti-social behaviour with motorbikes or e-bikes",
        "Reports of anti-social behaviour with a motorbike, a dirt bike, an e-bike or an "
        "e-scooter.",
    ),
    "civil_orders": Words(
        "Orders and powers used",
        "time we used an order or power",
        "times we used an order or power",
        "Warnings, notices, orders and bans that we use, often with the council, to stop "
        "anti-social behaviour. One example is a notice to stop a noisy or messy neighbour.",
    ),
    "shoplifting_recorded": Words(
        "Shoplifting",
        "shoplifting crime",
        "shoplifting crimes",
        "Shoplifting crimes that we recorded.",
    ),
    "shoplifting_positive_outcomes": Words(
        "Shoplifting crimes solved",
        "shoplifting crime that was solved",
        "shoplifting crimes that were solved",
        "Shoplifting crimes where the thief was charged, warned or taken to court. We count "
        "each one in the month the crime was recorded.",
    ),
    "prolific_offender_cbos": Words(
        "Court bans for people who shoplift a lot",
        "court ban for a person who shoplifts a lot",
        "court bans for people who shoplift a lot",
        "Court orders that ban a person who steals from shops again and again from some "
        "places or acts.",
    ),
    "enforcement_actions": Words(
        "Arrests and warnings for shoplifting",
        "arrest or warning for shoplifting",
        "arrests and warnings for shoplifting",
        "Arrests and formal warnings of people we think stole from shops or were violent in "
        "shops. This is part of Operation Vulture, our work to stop shoplifting.",
    ),
}


def words(code: str, catalogue: Catalogue) -> Words:
    if code in MEASURES:
        return MEASURES[code]
    measure = catalogue.measure(code)
    short = measure.short_title
    return Words(short, short.lower(), short.lower(), measure.definition)
