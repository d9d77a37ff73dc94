"""Reading remote addresses safely, for every caller that fetches.

The URL policy (no private addresses, listed hosts), the bounded, retried HTTP client
and its errors; used by the harvester, the RVR publisher and the previews.
"""
