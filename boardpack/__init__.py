"""The board pack (issue 13): for a meeting date and an area, every measure's status and reason
from the stored scores the pages show, one section per operation with its charts, commentary
and exceptions, the district league table, the latest dip-sample results, what changed since
the last meeting, and definitions; as PDF, one self-contained HTML file, or an Excel workbook.

    pack = content.build(engine=..., catalogue=..., meeting=date(2026, 11, 25), area="Lancashire")
    html.render(pack)  /  pdf.render(pack)  /  workbook.render(pack)

`manage.py pack` is `commands.pack`; the Board pack page is `pages/board-pack.py`; both audit
each pack made (`boardpack.audit`). The board's actions log is `db.actions`, recorded on the
page and carried in every pack until closed. The words
are shared with the pages (`present.wording`, `present.spc_wording`, `present.measure_table`), so
the pack and the pages say the same thing.
"""
