"""The HTTP API for the systems around the portal: Open311 GeoReport v2 and a small native
API, each call made with a client's key (its scopes, its unit) and recorded."""
