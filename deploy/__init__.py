"""Serving a room: several Streamlit processes behind nginx, ``python -m deploy``.

One Streamlit process runs every session's script on one core (Python's GIL), so a large workshop
needs several processes. Streamlit keeps a session's state in the memory of the process that holds
its websocket, so nginx sends every request of one browser to the same process: a cookie it sets
on the first visit picks the process (``deploy.nginx``). ``deploy.launcher`` starts the processes
and nginx, watches them and stops them all together.
"""
