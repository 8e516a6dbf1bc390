"""Small response helpers shared by the studio's route modules."""
from __future__ import annotations

from starlette.responses import JSONResponse

from ..errors import RadioError
from ..preview.server import HEADERS
from . import messages
from .episodes import problems_of


def json_response(data, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status, headers=HEADERS)


def error(request, status: int, key: str, **values) -> JSONResponse:
    """A refusal in the page's language: {"error": sentence, "code": key}."""
    return json_response({"error": messages.text(request.state.lang, key, **values),
                          "code": key}, status)


class BadBody(Exception):
    """A request whose body is not the JSON object the route expects."""


async def json_body(request, required: tuple = (), **types) -> dict:
    """The request's JSON object; BadBody when it is not JSON, not an object, lacks a
    field named in *required*, or has a field named in *types* with another type
    (``text=str``: a null "text" must not be saved as the word None)."""
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise BadBody() from None
    if not isinstance(body, dict):
        raise BadBody()
    if any(key not in body for key in required):
        raise BadBody()
    for key, kind in types.items():
        value = body.get(key)
        if key in body and not isinstance(value, kind) and (value is not None or key in required):
            raise BadBody()
    return body


async def bad_body(request, exc: BadBody) -> JSONResponse:
    """The application's handler of BadBody: 400 with a sentence, not a 500."""
    return error(request, 400, "error.body")


def problems_response(exc: RadioError) -> JSONResponse:
    return json_response({"problems": problems_of(exc)}, 422)
