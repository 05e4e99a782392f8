"""Normalisation shared by every site parser: URLs, resources and people.

These helpers are what make cross-edition links possible: one YouTube video, Drive file,
GitHub file or person gets one key however a page happens to write it. All functions are
pure (strings in, values out).

One module per kind of value: :mod:`ingest.common.urls`, :mod:`ingest.common.resources`,
:mod:`ingest.common.people`. Parsers import them from here, the one place shared parser
helpers live (``from ingest.common import live_url``).
"""

from __future__ import annotations

from ingest.common.people import (
    EMAIL_ALIASES,
    NAME_ALIASES,
    clean_person_name,
    deobfuscate_email,
    home_people,
    name_fold,
    person_key,
    split_names,
)
from ingest.common.resources import MARKERS, canonical_url, kind_of_marker, resource_from_url
from ingest.common.urls import (
    absolute_href,
    classify_url,
    drive_file_id,
    drive_folder_id,
    github_key,
    language_of,
    live_url,
    notes_slug,
    parse_time,
    published_url,
    youtube_id_and_start,
)

__all__ = [
    "EMAIL_ALIASES",
    "MARKERS",
    "NAME_ALIASES",
    "absolute_href",
    "canonical_url",
    "classify_url",
    "clean_person_name",
    "deobfuscate_email",
    "drive_file_id",
    "drive_folder_id",
    "home_people",
    "github_key",
    "kind_of_marker",
    "language_of",
    "live_url",
    "name_fold",
    "notes_slug",
    "parse_time",
    "published_url",
    "person_key",
    "resource_from_url",
    "split_names",
    "youtube_id_and_start",
]
