"""Decoding Bot API request parameters the way Telegram's server does.

python-telegram-bot sends strings as they are and JSON-encodes every other value (ints, bools,
lists, dicts) into form fields, urlencoded or multipart when a file is uploaded. Other clients
send a JSON body or a query string. Values are therefore kept raw and converted only when a
method asks for a given type, so that a text such as ``"123"`` stays a string.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from aiohttp import web

__all__ = ["ApiError", "Params", "UploadedFile", "read_params"]

# Fields that are strings in the Bot API: never JSON-decoded for the recorded calls.
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "title",
        "address",
        "description",
        "short_description",
        "language_code",
        "url",
        "action",
        "inline_message_id",
        "foursquare_id",
        "foursquare_type",
        "google_place_id",
        "google_place_type",
        "secret_token",
        "ip_address",
        "file_id",
        "business_connection_id",
        "message_effect_id",
    }
)


class ApiError(Exception):
    """A Bot API error reply: HTTP status and Telegram's description."""

    def __init__(self, description: str, code: int = 400) -> None:
        super().__init__(description)
        self.description = description
        self.code = code


def bad_request(detail: str) -> ApiError:
    """Build a 400 error with Telegram's ``Bad Request:`` prefix."""
    return ApiError(f"Bad Request: {detail}")


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    content: bytes


def _decode_for_record(name: str, value: object) -> object:
    if not isinstance(value, str) or name in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class Params:
    """Raw request values with typed, forgiving accessors raising Telegram-like errors."""

    def __init__(self, raw: dict[str, object], files: dict[str, UploadedFile]) -> None:
        self.raw = raw
        self.files = files

    def decoded(self) -> dict[str, Any]:
        """Parameters with JSON-encoded values decoded, for the recorded call list."""
        decoded = {name: _decode_for_record(name, value) for name, value in self.raw.items()}
        for name, upload in self.files.items():
            decoded[name] = f"<file {upload.filename!r}, {len(upload.content)} bytes>"
        return decoded

    def has(self, name: str) -> bool:
        return name in self.raw or name in self.files

    def string(self, name: str, default: str | None = None) -> str | None:
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def number(self, name: str) -> float | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        try:
            number = float(str(value)) if not isinstance(value, int | float) else float(value)
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None
        if not math.isfinite(number):
            raise bad_request(f"invalid {name} specified")
        return number

    def boolean(self, name: str) -> bool:
        value = self.raw.get(name)
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return bool(value)
        return isinstance(value, str) and value.strip().lower() in ("true", "1")

    def structure(self, name: str) -> Any:
        """A JSON value (object or array), or None when absent."""
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None

    def chat_id(self, name: str = "chat_id") -> int | str:
        """A chat id (int) or a public ``@username``; missing means Telegram's empty error."""
        value = self.raw.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        if isinstance(value, str) and value.strip().startswith("@"):
            return value.strip()
        try:
            return self.integer(name) or 0
        except ApiError:
            raise bad_request("chat not found") from None

    def file(self, name: str) -> UploadedFile | str | None:
        """An uploaded file (direct part or ``attach://``) or a file_id / URL string."""
        if name in self.files:
            return self.files[name]
        value = self.string(name)
        if value is not None and value.startswith("attach://"):
            return self.files.get(value.removeprefix("attach://"))
        return value


async def read_params(request: web.Request) -> Params:
    """Merge the query string with a JSON, urlencoded or multipart body."""
    raw: dict[str, object] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.method != "POST" or not request.body_exists:
        return Params(raw, files)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON encoded request body") from None
        if not isinstance(body, dict):
            raise bad_request("can't parse JSON encoded request body")
        raw.update({str(key): value for key, value in body.items()})
        return Params(raw, files)
    form = await request.post()
    for name, value in form.items():
        if isinstance(value, web.FileField):
            content = value.file.read()
            files[name] = UploadedFile(
                filename=value.filename or name,
                content_type=value.content_type or "application/octet-stream",
                content=content if isinstance(content, bytes) else bytes(content),
            )
        else:
            raw[name] = value if isinstance(value, str) else bytes(value).decode("utf-8", "replace")
    return Params(raw, files)
