"""Centurion On Wheels: ASB involving motorcycles and e-bikes, fatal e-bike collisions."""

from views.operation_view import render

render("centurion_on_wheels")
