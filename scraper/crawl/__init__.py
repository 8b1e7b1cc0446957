"""Crawling: deciding what to fetch and in which order, with the to-do list kept in the database."""

from .archive import Archiver, RunSummary

__all__ = ["Archiver", "RunSummary"]
