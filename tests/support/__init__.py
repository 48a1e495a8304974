"""Helpers the test modules share: plain functions, classes and constants (fixtures live in the conftest.py files).

Test modules import from here, never from one another.
"""
