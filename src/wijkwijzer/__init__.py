"""WijkWijzer: de doorzoekbare catalogus van methodische aanpakken voor leefbare wijken."""

__version__ = "0.1.0"
