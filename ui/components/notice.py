"""A message for the page a person lands on next, shown there once.

A page that sends the person elsewhere (deleting a workshop leads home) cannot say on its own
screen what it did: that screen is gone. It leaves the message here, and the router shows it on
the next page, then forgets it.
"""

from __future__ import annotations

import streamlit as st

from ui import state


def leave(message: str) -> None:
    """Keep ``message`` (Markdown, user text already made plain) for the next page."""
    st.session_state[state.NOTICE] = message


def show_pending() -> None:
    """Show the message left for this page, if any, and forget it."""
    message = st.session_state.pop(state.NOTICE, None)
    if message:
        st.success(message, icon=":material/check_circle:")
