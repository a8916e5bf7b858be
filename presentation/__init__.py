"""The presentation layer: results, the library and a language in; worded sections out.

No Streamlit, no PDF library: the pages and the reports lay these sections out, so the screen
and the paper always tell the same story in the same words.
"""
