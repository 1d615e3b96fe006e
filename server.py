"""The portal's web server: the Streamlit app (app.py) with, in the same process, the session
cookie's routes and the websocket's guard (components/web.py), the API for other systems
(components/api.py, docs/api.md), and Streamlit's own scripts compressed once and kept
(components/static_files.py).

`python -m portal run` serves it with `streamlit run server.py`.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import Route
from streamlit.runtime.pages_manager import PagesManager

from components import api
from components.static_files import CompressedStatic
from components.web import KeepSharedCaches, end_session, start_session

# Left to itself, Streamlit runs a file of pages/ directly when its URL is the first request
# a fresh server gets, skipping app.py and so the log-in: every run goes through app.py.
PagesManager.uses_pages_directory = False

app = st.App("app.py",
             routes=[Route("/session/start", start_session), Route("/session/end", end_session),
                     *api.ROUTES],
             middleware=[Middleware(CompressedStatic), Middleware(KeepSharedCaches)])
