"""``xuedai quote``: read one JSON request, write the JSON answer (or ``{"error", "field"}``).

Exit codes: 0 answered, 2 the request was refused (a :class:`~xuedai.core.quote.QuoteError`).
Numbers in the JSON are read as decimals, never floats, so ``"annual_rate": 0.0565`` is exact too;
integers too (so a 10,000-digit number is a refused amount, not Python's int-parsing limit).

Whatever arrives is answered or refused, never a crash: a request over :data:`MAX_REQUEST_CHARS`,
or nested deeper than :data:`MAX_DEPTH` (a valid request needs 3 levels; the JSON parser would
run out of stack at about a thousand), is refused naming the top-level field it happened in.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, TextIO

from xuedai.core.quote import QuoteError, quote

EXIT_OK = 0
EXIT_REFUSED = 2
MAX_REQUEST_CHARS = 1_000_000
MAX_DEPTH = 8


def nesting_error(text: str) -> QuoteError | None:
    """The refusal for JSON nested deeper than :data:`MAX_DEPTH`, naming the top-level field.

    One pass over the text, outside strings counting brackets; the last string closed at depth 1
    before a ``:`` is the field being read.

    >>> nesting_error('{"payments": ' + "[" * 20 + "]" * 20 + "}").field
    'payments'
    >>> nesting_error('{"payments": [{"on": "2020-12-20", "amount": "1"}]}') is None
    True
    """
    depth, in_string, escaped, start = 0, False, False, 0
    last_string, field = "", "request"
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                if depth == 1:
                    last_string = text[start:index + 1]
        elif char == '"':
            in_string, start = True, index
        elif char == ":" and depth == 1:
            field = _decoded(last_string)
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return QuoteError(f"字段 {field} 嵌套过深（超过 {MAX_DEPTH} 层），不是有效的请求", field)
        elif char in "]}":
            depth -= 1
    return None


def _decoded(literal: str) -> str:
    try:
        name = str(json.loads(literal))
    except ValueError:
        name = literal.strip('"')
    return name[:40].encode("utf-8", "backslashreplace").decode("utf-8")


def read_request(text: str) -> Any:
    """The parsed request, or a :class:`QuoteError` for anything that is not a usable JSON text."""
    if len(text) > MAX_REQUEST_CHARS:
        raise QuoteError(f"请求过大（超过 {MAX_REQUEST_CHARS:,} 个字符）", "request")
    too_deep = nesting_error(text)
    if too_deep is not None:
        raise too_deep
    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except json.JSONDecodeError as error:
        where = f"第 {error.lineno} 行第 {error.colno} 列"
        raise QuoteError(f"请求不是合法的 JSON：{where}", "request") from None
    except (RecursionError, ValueError):  # belt and braces: nesting_error should have caught it
        raise QuoteError("请求不是可以读取的 JSON", "request") from None


def _write(stdout: TextIO, answer: Any, **options: Any) -> None:
    text = json.dumps(answer, ensure_ascii=False, **options)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate came in: JSON's \\u escapes carry it out
        text = json.dumps(answer, ensure_ascii=True, **options)
    stdout.write(text + "\n")


def main(stdin: TextIO, stdout: TextIO) -> int:
    """Answer the request on ``stdin`` on ``stdout``; return the exit code."""
    try:
        try:
            text = stdin.read(MAX_REQUEST_CHARS + 1)
        except UnicodeDecodeError:
            raise QuoteError("请求不是 UTF-8 编码的文本", "request") from None
        answer = quote(read_request(text))
    except QuoteError as error:
        _write(stdout, error.as_dict())
        return EXIT_REFUSED
    _write(stdout, answer, indent=2)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover - a convenience for running the module directly
    import sys

    raise SystemExit(main(sys.stdin, sys.stdout))
