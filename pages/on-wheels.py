"""Centurion On Wheels: ASB involving motorcycles and e-bikes, fatal e-bike collisions."""

from pages.operation_view import render

render("centurion_on_wheels")
