"""Outside-In: the Streamlit entry point. A router only: page config, navigation, sidebar."""

import streamlit as st

from ui.i18n import t
from ui.pages import browse

st.set_page_config(page_title=t("app.title"), page_icon=":material/explore:", layout="centered")

pages = [
    st.Page(browse.render, title=t("nav.browse"), icon=":material/menu_book:", url_path="browse", default=True),
]
navigation = st.navigation(pages)

with st.sidebar:
    st.markdown(f"### {t('app.title')}")
    st.caption(t("app.tagline"))

navigation.run()
