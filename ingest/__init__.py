"""Scrapers: crawl each edition's course site (live or a mirror) and parse pages into records."""
