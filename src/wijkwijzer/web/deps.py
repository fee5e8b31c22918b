"""FastAPI dependencies as ``Annotated`` aliases.

They read the app's state and do no I/O: ``async``, so FastAPI calls them on the event
loop instead of sending each to its thread pool.
"""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from wijkwijzer.catalogue.service import Catalogue
from wijkwijzer.config import Settings
from wijkwijzer.web.urls import Urls


async def get_catalogue(request: Request) -> Catalogue:
    catalogue: Catalogue = request.app.state.catalogue
    return catalogue


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


async def get_urls(request: Request) -> Urls:
    return Urls.of(request)


CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
UrlsDep = Annotated[Urls, Depends(get_urls)]
