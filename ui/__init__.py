"""Streamlit pages and components: the only package besides app.py that imports streamlit."""
