"""Citizen participation: data requests and error reports, their abuse limits, mail notifications, the Kennzahlen."""
