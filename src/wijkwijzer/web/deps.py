"""FastAPI dependencies as ``Annotated`` aliases."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from wijkwijzer.catalogue.service import Catalogue
from wijkwijzer.config import Settings
from wijkwijzer.web.urls import Urls


def get_catalogue(request: Request) -> Catalogue:
    catalogue: Catalogue = request.app.state.catalogue
    return catalogue


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


def get_urls(request: Request) -> Urls:
    return Urls.of(request)


CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
UrlsDep = Annotated[Urls, Depends(get_urls)]
