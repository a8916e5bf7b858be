"""Outside-In: the Streamlit entry point. A router only: page config, navigation, sidebar."""

import streamlit as st

from ui import routes, script_style
from ui.components import notice
from ui.lang import language, t


def sidebar() -> None:
    """The app's name and its menu, on every page but the projector."""
    with st.sidebar:
        # The name in bold, not a heading: the sidebar comes first in reading order, and a page's
        # headings begin with its own title (h1).
        st.markdown(f"**{t('app.title')}**")
        st.caption(t("app.tagline"))
        st.page_link(routes.home(), label=t("nav.home"), icon=":material/home:")
        token = routes.current_token()
        if token:
            carried = {routes.TOKEN_PARAM: token}
            st.page_link(routes.assess(), label=t("nav.assess"), icon=":material/checklist:", query_params=carried)
            st.page_link(routes.results(), label=t("nav.results"), icon=":material/insights:", query_params=carried)
        # Browsing mid-assessment keeps the way back: the browse page carries the token too.
        st.page_link(
            routes.browse(), label=t("nav.browse"), icon=":material/menu_book:", query_params=carried if token else None
        )


navigation = st.navigation(routes.all_pages(), position="hidden")
# The projector is what the whole room looks at: the full width of the screen, and no sidebar,
# whose menu would lead the room away from it (it is left out, not only folded away).
projector = navigation.url_path == routes.PROJECTOR_PATH
# The browser tab names the page ("Your results · Outside-In"), not just the app.
st.set_page_config(
    page_title=t("app.page_title", page=navigation.title),
    page_icon=":material/explore:",
    layout="wide" if projector else "centered",
)

script_style.apply(language())  # Korean lines break between words
notice.show_pending()  # e.g. what was just deleted, on the page the person lands on

if not projector:
    sidebar()

navigation.run()
