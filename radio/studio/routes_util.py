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


def problems_response(exc: RadioError) -> JSONResponse:
    return json_response({"problems": problems_of(exc)}, 422)
