"""`esgledger serve` listens with Nagle's algorithm off, for every worker's connections."""

from __future__ import annotations

import socket
import sys

import pytest

from esgledger.cli.listen import listening_socket
from esgledger.errors import EsgError


@pytest.mark.skipif(sys.platform != "linux", reason="Linux copies TCP_NODELAY on accept")
def test_accepted_connections_have_nagle_off():
    server = listening_socket("127.0.0.1", 0)
    server.listen()
    with server, socket.create_connection(server.getsockname()) as client:
        accepted, _ = server.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert client is not None


def test_a_port_in_use_is_a_user_error_naming_it():
    taken = listening_socket("127.0.0.1", 0)
    taken.listen()
    port = taken.getsockname()[1]
    with taken, pytest.raises(EsgError, match=rf"cannot listen on 127.0.0.1:{port}: .*--port"):
        listening_socket("127.0.0.1", port)
