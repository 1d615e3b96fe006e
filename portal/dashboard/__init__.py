"""The dashboard's read models: figures, rankings and flows, folded by day."""
