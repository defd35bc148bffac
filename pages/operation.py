"""Every operation's page: one script, listed in the navigation once for every operation of
config/operations.toml at the operation's URL path (`views.navigation.sections`). It draws the
operation whose page this run shows: its SMART objective and its measures
(`views.operation_view`)."""

from views.operation_view import render

render()
