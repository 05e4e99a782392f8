"""Pages of the Streamlit app (``app.py`` routes to them) and the few helpers they share."""
