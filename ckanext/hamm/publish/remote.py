"""RVR's CKAN action API for the publisher, over the harvester's safe client and URL policy.

Each call returns CKAN's ``result`` or raises a HammPublishError whose German
and English text a city employee can act on. The token travels only in the
Authorization header of requests to the policy-checked RVR address (redirects
are refused) and appears in no message.
"""
from __future__ import annotations

from typing import Any, Optional
from urllib.parse import urlencode

from ckanext.hamm.net.client import SafeClient
from ckanext.hamm.net.errors import HammHarvestError, shorten

WRITE_ACTIONS = frozenset({"package_create", "package_update", "package_delete"})


class HammPublishError(HammHarvestError):
    """Publishing to RVR failed; the run ends (``dataset_only``: only this dataset failed)."""

    dataset_only = False
    status = 0  # RVR's HTTP status, when it answered


class HammPublishDatasetError(HammPublishError):
    """Only this dataset cannot go (e.g. it lies in another organisation at RVR); the run goes on."""

    dataset_only = True


class HammPublishValidationError(HammPublishDatasetError):
    """RVR refused one dataset (409), naming the fields; the other datasets can still go."""

    def __init__(self, de: str, en: str, fields: dict[str, Any]) -> None:
        super().__init__(de, en)
        self.fields = fields


class RvrApi:
    """package_show/create/update/delete and the group and organisation lists of one RVR CKAN."""

    def __init__(self, client: SafeClient, base_url: str, token: str = "") -> None:
        self.client = client
        self.base = base_url.rstrip("/") + "/api/3/action/"
        self._headers = {"Authorization": token} if token else {}
        self.write_calls = 0
        self.read_calls = 0

    def __repr__(self) -> str:  # never shows the token
        return f"RvrApi({self.base!r})"

    def call(self, action: str, payload: Optional[dict[str, Any]] = None, **params: str) -> Any:
        url = self.base + action + (f"?{urlencode(params)}" if params else "")
        if action in WRITE_ACTIONS:
            self.write_calls += 1
        else:
            self.read_calls += 1
        status, answer = self.client.call_json(url, payload, self._headers)
        if 200 <= status < 300 and isinstance(answer, dict) and answer.get("success") is True:
            return answer.get("result")
        raise failure(action, status, answer)

    # -- reads ----------------------------------------------------------------------
    def show(self, id_or_name: str) -> Optional[dict[str, Any]]:
        """The remote dataset, or None when RVR does not know it."""
        try:
            return self.call("package_show", id=id_or_name)
        except HammPublishError as error:
            if error.status == 404:
                return None
            raise

    def group_names(self) -> list[str]:
        """Categories the token may assign (stock CKAN: member of the group), not merely those that exist."""
        result = self.call("group_list_authz")
        return [g["name"] for g in result if isinstance(g, dict) and isinstance(g.get("name"), str)] \
            if isinstance(result, list) else []

    def organization(self, name: str) -> dict[str, Any]:
        return self.call("organization_show", id=name)

    def may_write_to(self, org: dict[str, Any]) -> bool:
        """The token's user may create datasets in ``org`` (an unknown token is anonymous: no rights)."""
        orgs = self.call("organization_list_for_user", permission="create_dataset")
        return any(isinstance(o, dict) and org["id"] in (o.get("id"), o.get("name")) for o in orgs or [])

    # -- writes ---------------------------------------------------------------------
    def create(self, package: dict[str, Any]) -> dict[str, Any]:
        return self.call("package_create", package)

    def update(self, package: dict[str, Any]) -> dict[str, Any]:
        return self.call("package_update", package)

    def delete(self, remote_id: str) -> None:
        self.call("package_delete", {"id": remote_id})


def failure(action: str, status: int, answer: Any) -> HammPublishError:
    """Turn CKAN's error answer into words; remote text is sanitised and capped."""
    error: dict[str, Any] = (answer["error"] if isinstance(answer, dict) and isinstance(answer.get("error"), dict)
                             else {})
    kind = str(error.get("__type") or "")
    if status == 409 or kind == "Validation Error":
        fields = {k: v for k, v in error.items() if k not in ("__type", "message")}
        named = "; ".join(f"{shorten(k, 40)}: {shorten(_first(v), 120)}" for k, v in sorted(fields.items())[:8])
        result: HammPublishError = HammPublishValidationError(
            f"RVR lehnt die Angaben ab ({named or 'ohne Begründung'}).",
            f"RVR refuses the metadata ({named or 'no reason given'}).", fields)
    elif status == 401:
        result = HammPublishError(
            "RVR hat das API-Token nicht angenommen (401). Bitte ein gültiges Token von RVR eintragen "
            "(HAMM_RVR_API_TOKEN).",
            "RVR did not accept the API token (401). Please set a valid token issued by RVR (HAMM_RVR_API_TOKEN).")
    elif status == 403 or kind == "Authorization Error":
        result = HammPublishError(
            f"RVR verweigert {action} (403): Das API-Token ist ungültig oder hat keine Rechte in der "
            f"Organisation. Bitte bei RVR (opendata@rvr.ruhr) Rechte als Bearbeiter anfragen.",
            f"RVR refuses {action} (403): the API token is invalid or has no rights in the organisation. "
            f"Please ask RVR (opendata@rvr.ruhr) for editor rights.")
    elif status == 404 or kind == "Not Found Error":
        result = HammPublishError(f"RVR kennt das Objekt nicht ({action}).",
                                  f"RVR does not know the object ({action}).")
    else:
        result = HammPublishError(
            f"RVR antwortet auf {action} mit Fehler {status}.", f"RVR answers {action} with error {status}.")
    result.status = status
    return result


def _first(value: Any) -> str:
    if isinstance(value, list) and value:
        return _first(value[0])
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_first(v)}" for k, v in list(value.items())[:3])
    return str(value)
