"""``tdlint server``: a Language Server Protocol server over stdio (docs/editors.md).

Only this package imports pygls and lsprotocol, and only when the ``server`` subcommand
runs: ``tdlint check`` starts as fast without them.
"""

from __future__ import annotations

import sys

MISSING = "tdlint: error: `tdlint server` needs pygls and lsprotocol: pip install 'tdlint[server]'"


def main() -> int:
    """Serve over stdin/stdout until the client says exit. 0 after a shutdown request, 1 if
    the client exits (or goes away) without one, 2 when the server's dependencies are
    missing."""
    try:
        from tdlint.server.app import server
    except ImportError as exc:
        if exc.name not in ("pygls", "lsprotocol", "cattrs", "attrs") and not str(
            exc.name or ""
        ).startswith(("pygls.", "lsprotocol.")):
            raise
        print(MISSING, file=sys.stderr)
        return 2
    # The analysis thread holds the interpreter for 5 ms at a time by default; a hover (a
    # dozen hand-overs between the reader thread, the loop and the writer) then waits tens
    # of milliseconds behind it. Shorter turns cost the analysis little.
    sys.setswitchinterval(0.001)
    server.start_io()
    return 0 if server.protocol._shutdown else 1
