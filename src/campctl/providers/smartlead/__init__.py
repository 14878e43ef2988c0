"""Smartlead: the adapter (`adapter.py`) and its simulator (`simulator.py`), one registry entry."""
