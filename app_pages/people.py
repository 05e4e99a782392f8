"""people (placeholder until its library API lands)."""

import streamlit as st

st.title("people")
