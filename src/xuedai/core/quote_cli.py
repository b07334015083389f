"""``xuedai quote``: read one JSON request, write the JSON answer (or ``{"error", "field"}``).

Exit codes: 0 answered, 2 the request was refused (a :class:`~xuedai.core.quote.QuoteError`).
Numbers in the JSON are read as decimals, never floats, so ``"annual_rate": 0.0565`` is exact too.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TextIO

from xuedai.core.quote import QuoteError, quote

EXIT_OK = 0
EXIT_REFUSED = 2


def main(stdin: TextIO, stdout: TextIO) -> int:
    """Answer the request on ``stdin`` on ``stdout``; return the exit code."""
    try:
        try:
            request = json.loads(stdin.read(), parse_float=Decimal)
        except json.JSONDecodeError as error:
            raise QuoteError(
                f"请求不是合法的 JSON：第 {error.lineno} 行第 {error.colno} 列", "request"
            ) from None
        answer = quote(request)
    except QuoteError as error:
        json.dump(error.as_dict(), stdout, ensure_ascii=False)
        stdout.write("\n")
        return EXIT_REFUSED
    json.dump(answer, stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover - a convenience for running the module directly
    import sys

    raise SystemExit(main(sys.stdin, sys.stdout))
