"""How the public summary names and explains each measure to residents (`views.public_wording`
uses it): a heading, the words for one and for many, and what is counted, in plain English.
A measure configured for the summary without words here falls back to its catalogue title and
definition."""

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
        "Calls and online reports of anti-social behaviour made to Lancashire Constabulary, "
        "counted in the month and district where it happened.",
    ),
    "asb_vehicle_incidents": Words(
        "Anti-social behaviour involving motorcycles and e-bikes",
        "report of anti-social behaviour involving a motorcycle or e-bike",
        "reports of anti-social behaviour involving motorcycles or e-bikes",
        "Reports of anti-social behaviour involving a motorcycle, off-road bike, e-bike or "
        "e-scooter.",
    ),
    "civil_orders": Words(
        "Civil orders and powers used",
        "civil order or power used, such as a Community Protection Notice or a closure order,",
        "civil orders and powers used, such as Community Protection Notices and closure orders,",
        "Warnings, notices, orders and directions the police use, often with councils and "
        "other partners, to stop anti-social behaviour.",
    ),
    "shoplifting_recorded": Words(
        "Shoplifting",
        "shoplifting crime recorded",
        "shoplifting crimes recorded",
        "Shoplifting crimes recorded by Lancashire Constabulary.",
    ),
    "shoplifting_positive_outcomes": Words(
        "Shoplifting crimes with a positive outcome",
        "shoplifting crime with a positive outcome, such as a charge or a caution,",
        "shoplifting crimes with a positive outcome, such as a charge or a caution,",
        "Shoplifting crimes, counted in the month they were recorded, where the offender was "
        "charged, summonsed, cautioned or given another formal outcome, or the case went to "
        "court.",
    ),
    "prolific_offender_cbos": Words(
        "Court orders against prolific shoplifters",
        "Criminal Behaviour Order granted by the courts against a prolific shoplifter",
        "Criminal Behaviour Orders granted by the courts against prolific shoplifters",
        "Criminal Behaviour Orders (court orders that ban someone from certain places or "
        "behaviour) granted against people who shoplift again and again.",
    ),
    "enforcement_actions": Words(
        "Arrests and warnings for shoplifting",
        "arrest or formal warning of a shoplifting suspect",
        "arrests and formal warnings of shoplifting suspects",
        "Arrests and formal warnings of people suspected of shoplifting or related violence, "
        "under Operation Vulture, the force's operation against shoplifting.",
    ),
}


def words(code: str, catalogue: Catalogue) -> Words:
    if code in MEASURES:
        return MEASURES[code]
    measure = catalogue.measure(code)
    short = measure.short_title
    return Words(short, short.lower(), short.lower(), measure.definition)
