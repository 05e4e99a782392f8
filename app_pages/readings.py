"""readings (placeholder until its library API lands)."""

import streamlit as st

st.title("readings")
