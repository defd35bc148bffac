"""Operation Vulture: shoplifting positive outcomes, CBOs for prolific offenders, enforcement."""

from pages.operation_view import render

render("vulture")
