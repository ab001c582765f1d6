"""Qualification modules: Q1 self-study and Q2 live sessions."""
