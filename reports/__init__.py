"""Exporters: data in, bytes out. No streamlit; the UI only wraps the bytes in download buttons."""
