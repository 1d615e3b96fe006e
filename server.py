"""The portal's web server: the Streamlit app (app.py) with, in the same process, the session
cookie's routes and the websocket's guard (components/web.py), the API for other systems
(components/api.py, docs/api.md), and Streamlit's own scripts compressed once and kept
(components/static_files.py).

`python -m portal run` serves it with `streamlit run server.py`.
"""

from __future__ import annotations

import os

import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import Route
from streamlit.runtime.pages_manager import PagesManager

from components import api
from components.static_files import CompressedStatic
from components.web import KeepSharedCaches, NoSniff, end_session, start_session
from portal import clients

# The web server underneath (uvicorn) would itself believe X-Forwarded-For and -Proto from
# loopback peers, whatever PORTAL_TRUSTED_PROXIES says. It reads whom to believe before this
# file is loaded, so the launcher tells it: nobody, and portal.clients alone decides.
if any(os.environ.get(name) != value for name, value in clients.WEB_SERVER_ENV.items()):
    raise RuntimeError("Start the portal with `python -m portal run`: served otherwise, its "
                       "web server would believe X-Forwarded-For from any local process.")

# Left to itself, Streamlit runs a file of pages/ directly when its URL is the first request
# a fresh server gets, skipping app.py and so the log-in: every run goes through app.py.
PagesManager.uses_pages_directory = False

app = st.App("app.py",
             routes=[Route("/session/start", start_session), Route("/session/end", end_session),
                     *api.ROUTES],
             middleware=[Middleware(NoSniff), Middleware(CompressedStatic),
                         Middleware(KeepSharedCaches)])
