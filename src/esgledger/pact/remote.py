"""A PACT v3 client: authenticate at another host, page through its footprints, send events.

Used both ways: the group fetching its suppliers' footprints (``esgledger pact fetch``),
and the group answering a customer's request by sending RequestFulfilled or
RequestRejected to the customer's own events endpoint.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx

from esgledger.errors import EsgError
from esgledger.pact import spec

_TIMEOUT = 30.0


class RemoteRefused(EsgError):
    """The other host answered with an error (its PACT code and message are kept)."""


class RemoteHost:
    """One authenticated conversation with a PACT host at ``base_url`` (https only)."""

    def __init__(
        self, base_url: str, client_id: str, client_secret: str, *, verify: Any = True
    ) -> None:
        if not base_url.lower().startswith("https://"):
            raise EsgError(
                f"PACT hosts are reached over HTTPS only; {base_url!r} is not an https:// address",
                code="pact_v3.not_https",
                params={"url": base_url},
            )
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(verify=verify, timeout=_TIMEOUT)
        self._credentials = (client_id, client_secret)
        self._token: str | None = None

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RemoteHost:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def token_endpoint(self) -> str:
        """The authentication flow: the OpenID document's token endpoint, else /auth/token."""
        try:
            found = self._http.get(f"{self.base_url}/.well-known/openid-configuration")
            endpoint = found.json().get("token_endpoint") if found.status_code == 200 else None
        except (httpx.TransportError, ValueError, AttributeError):
            endpoint = None
        if isinstance(endpoint, str) and endpoint.lower().startswith("https://"):
            return endpoint
        return f"{self.base_url}/auth/token"

    def token(self) -> str:
        if self._token is None:
            answer = self._http.post(
                self.token_endpoint(),
                data={"grant_type": "client_credentials"},
                auth=self._credentials,
                headers={"accept": "application/json"},
            )
            if answer.status_code != 200:
                raise _refused(answer, "authentication")
            self._token = str(answer.json()["access_token"])
        return self._token

    def _headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token()}"}

    def footprints(self, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every footprint the host lists, following its Link rel="next" pages."""
        url: str | None = f"{self.base_url}/3/footprints"
        query = params
        while url:
            answer = self._http.get(url, params=query, headers=self._headers())
            if answer.status_code not in (200, 202):
                raise _refused(answer, "ListFootprints")
            body = answer.json()
            spec.require_valid(body, "ListFootprintsResponse", what=f"list from {url}")
            yield from body["data"]
            url = answer.links.get("next", {}).get("url")
            query = None  # the pagination link carries the criteria itself

    def footprint(self, footprint_id: str) -> dict[str, Any]:
        answer = self._http.get(
            f"{self.base_url}/3/footprints/{footprint_id}", headers=self._headers()
        )
        if answer.status_code != 200:
            raise _refused(answer, "GetFootprint")
        body = answer.json()
        spec.require_valid(body, "GetFootprintResponse", what=f"footprint {footprint_id}")
        return body["data"]

    def send_event(self, event: dict[str, Any]) -> None:
        answer = self._http.post(
            f"{self.base_url}/3/events",
            json=event,
            headers={**self._headers(), "content-type": "application/cloudevents+json"},
        )
        if answer.status_code != 200:
            raise _refused(answer, "Events")


def new_event(kind: str, source: str, data: dict[str, Any]) -> dict[str, Any]:
    """A CloudEvent of one of PACT's types (``kind`` as in pact.yaml event_types)."""
    event = {
        "type": spec.event_type(kind),
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": source,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "data": data,
    }
    spec.require_valid(
        event, spec.event_definition(event["type"]) or "BaseEvent", what=f"{kind} event"
    )
    return event


def _refused(answer: httpx.Response, action: str) -> RemoteRefused:
    try:
        body = answer.json()
    except ValueError:
        body = {}
    code = body.get("code") or body.get("error") or "?"
    message = body.get("message") or body.get("error_description") or answer.text[:200]
    return RemoteRefused(
        f"{action} at {answer.request.url} answered {answer.status_code} {code}: {message}",
        code="pact_v3.remote_refused",
        params={
            "action": action,
            "url": str(answer.request.url),
            "status": answer.status_code,
            "pact_code": code,
            "message": message,
        },
    )
