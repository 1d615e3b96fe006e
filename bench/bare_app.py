"""The floor the load driver measures the portal against: a bare Streamlit app with the
portal's libraries loaded and pages of the same shape (a title, a few filters, a metric row,
a table and a button; a dashboard whose fragment redraws on a timer), and no database."""

import altair as alt
import pandas as pd
import sqlalchemy  # noqa: F401  (loaded, as in the portal)
import streamlit as st

ROWS = pd.DataFrame({"receipt": [f"LX-20261201-{n:06d}" for n in range(50)],
                     "status": ["办理中", "已受理"] * 25, "days": range(50)})


def queue() -> None:
    st.title("单位待办")
    chosen = st.multiselect("状态", ["办理中", "已受理", "已重启"], key="statuses")
    st.text_input("搜索", key="search")
    for column, value in zip(st.columns(5), (50, 3, 7, 40, 0), strict=True):
        column.metric("件数", value)
    shown = ROWS[ROWS["status"].isin(chosen)] if chosen else ROWS
    st.dataframe(shown, hide_index=True)
    with st.form("claim"):
        st.selectbox("办件", shown["receipt"])
        st.form_submit_button("认领")


def dashboard() -> None:
    st.title("数据看板")

    @st.fragment(run_every=10)
    def figures() -> None:
        for column, value in zip(st.columns(4), (120, 33, 5, 98), strict=True):
            column.metric("今日受理", value)
        st.altair_chart(alt.Chart(ROWS).mark_bar().encode(x="receipt", y="days"))

    figures()


st.navigation([st.Page(queue, url_path="queue", default=True),
               st.Page(dashboard, url_path="dashboard")]).run()
