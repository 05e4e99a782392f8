"""The exceptions a search raises: the CLI and the app turn them into one line."""



class SearchError(Exception):
    """A search that cannot run: a bad filter value, an unreadable query, a missing index."""


class IndexMissing(SearchError):
    """There is no (usable) index in the folder."""
