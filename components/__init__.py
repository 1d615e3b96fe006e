"""Reusable Streamlit widgets: the auth gate, page guard, i18n helper, tables, tiles and charts."""
