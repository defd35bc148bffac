"""Operation Centurion: ASB calls, hotspot foot patrols, civil orders, public confidence."""

from views.operation_view import render

render("centurion")
