"""The session cookie's routes (issue 26), served by serve.py beside Streamlit's own: the
HTTP side of `auth.sessions`, which a page cannot do (a page cannot set an HttpOnly cookie).

- BEGIN_PATH?ticket=..&next=..: exchanges a single-use ticket (made by the page after it
  checked the password) for a session, sets its cookie and sends the browser back to `next`
  (a path of this site only);
- END_PATH: ends the cookie's session, clears the cookie and sends the browser to the start.

Both refuse a request another site started (the browser's Sec-Fetch-Site header), so a
page elsewhere can neither sign a browser in to someone else's account nor out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from auth import sessions
from db.engine import make_engine

ALLOWED_SITES = {"same-origin", "none"}  # Sec-Fetch-Site of the app's own navigation (or typed)
REFUSED = "This request came from another site and was refused."


def _cross_site(request: Request) -> bool:
    site = request.headers.get("sec-fetch-site")
    return site is not None and site not in ALLOWED_SITES


def begin(request: Request) -> Response:
    """Exchange the ticket for a session cookie, then back to the page (or the start)."""
    if _cross_site(request):
        return PlainTextResponse(REFUSED, status_code=403)
    back = RedirectResponse(sessions.safe_next(request.query_params.get("next")), 303)
    token = sessions.exchange(make_engine(), request.query_params.get("ticket", ""))
    if token is not None:
        back.set_cookie(value=token, **sessions.cookie_options())
    back.headers["Cache-Control"] = "no-store"
    return back


def end(request: Request) -> Response:
    """Sign-out: end the cookie's session and clear the cookie."""
    if _cross_site(request):
        return PlainTextResponse(REFUSED, status_code=403)
    token = request.cookies.get(sessions.cookie_name())
    if token:
        sessions.end(make_engine(), token)
    back = RedirectResponse("/", 303)
    options = sessions.cookie_options()
    back.delete_cookie(
        key=options["key"],
        path=options["path"],
        secure=options["secure"],
        httponly=True,
        samesite=options["samesite"],
    )
    back.headers["Cache-Control"] = "no-store"
    return back


ROUTES = [
    Route(sessions.BEGIN_PATH, begin, methods=["GET"]),
    Route(sessions.END_PATH, end, methods=["GET"]),
]
