"""Tests of quotes/extraction, one file per module."""
