"""A page parsed into its elements and its text, for tests that read HTML."""

import re
from html.parser import HTMLParser


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag, self.attrs = tag, attrs

    def __getitem__(self, name: str) -> str:
        return self.attrs.get(name) or ""


class Html(HTMLParser):
    """A parsed page: its elements in document order and its visible-ish text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.texts: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.texts))

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e[k.rstrip("_")] == v for k, v in attrs.items())
        ]

    def hrefs(self) -> list[str]:
        return [e["href"] for e in self.find("a")]

    def classes(self, name: str) -> list[Element]:
        return [e for e in self.elements if name in e["class"].split()]
