"""``/healthz``: the catalogue says which versions its database and its index hold."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from wijkwijzer.web.deps import CatalogueDep
from wijkwijzer.web.errors import RETRY_AFTER_S

router = APIRouter()


@router.get(
    "/healthz",
    tags=["beheer"],
    response_model=None,
    summary="Gezondheid van de server",
    response_description="De corpusversies van database en zoekindex.",
)
def healthz(catalogue: CatalogueDep) -> dict[str, str | None] | JSONResponse:
    """Leeft de server, welke corpusversie staat in de database en welke in de zoekindex?

    `status` is `ok` als beide dezelfde versie hebben, `leeg` zonder geladen corpus,
    `ongelijk` als ze verschillen (tijdens het herladen, of een index die ontbreekt);
    503 met `status` `fout` als de database niet bereikbaar is. `version` is de versie
    waaruit de server antwoordt; `achter_sinds` zegt bij `ongelijk` sinds wanneer de
    database een andere versie heeft (een replica die nog bijwerkt).
    """
    health = catalogue.health()
    body: dict[str, str | None] = health.model_dump(mode="json")
    if health.status == "fout":
        headers = {"cache-control": "no-store", "retry-after": str(RETRY_AFTER_S)}
        return JSONResponse(body, status_code=503, headers=headers)
    return body
