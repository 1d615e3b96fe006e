"""The portal's web server: the Streamlit app (app.py) with, in the same process, the session
cookie's routes and the websocket's guard (components/web.py).

`python -m portal run` serves it with `streamlit run server.py`.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Route
from streamlit.runtime.pages_manager import PagesManager

from components.web import KeepSharedCaches, end_session, start_session

# Left to itself, Streamlit runs a file of pages/ directly when its URL is the first request
# a fresh server gets, skipping app.py and so the log-in: every run goes through app.py.
PagesManager.uses_pages_directory = False

# The first page load is Streamlit's scripts and fonts, 2.9 MB as served; compressed, a
# village point's slow line carries 1.2 MB (the websocket is left as it is). Level 6 costs a
# first load about 60 ms of CPU; level 9 would cost half as much again for 0.3% less.
app = st.App("app.py",
             routes=[Route("/session/start", start_session), Route("/session/end", end_session)],
             middleware=[Middleware(GZipMiddleware, minimum_size=1024, compresslevel=6),
                         Middleware(KeepSharedCaches)])
