"""The portal's domain and services. Nothing here imports streamlit."""
