"""Operation Vulture: shoplifting positive outcomes, CBOs for prolific offenders, enforcement."""

from views.operation_view import render

render("vulture")
