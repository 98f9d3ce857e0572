"""The listening socket of `esgledger serve`, with Nagle's algorithm off.

With several workers uvicorn binds the socket itself with protocol number 0, and asyncio
turns ``TCP_NODELAY`` on for accepted connections only when the protocol is TCP
(Kludex/uvicorn#3149). Nagle's algorithm then holds every answer's body on a kept-alive
connection until the client acknowledges the headers, which the client delays by 40 ms:
about 23 answers a second per connection, whatever the CPU. Linux copies ``TCP_NODELAY``
from a listening socket to the connections it accepts, so the socket made here, handed to
uvicorn by file descriptor, gives every worker's connections the option.
"""

from __future__ import annotations

import socket

from esgledger.errors import EsgError


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound TCP socket on ``host``:``port`` with ``TCP_NODELAY`` set, inheritable."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise EsgError.coded(
            "database.cannot_listen", host=host, port=port, detail=exc.strerror
        ) from None
    sock.set_inheritable(True)
    return sock
