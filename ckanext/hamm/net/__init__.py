"""Reading remote addresses safely, for every caller that fetches.

The URL policy (no private addresses, listed hosts), the bounded, retried HTTP client
and its errors; used by the harvester, the RVR publisher and the previews. And the
other direction: the client's own address behind the trusted proxy (``proxy.py``), for
the rate limits of sign-ins, data requests and reports.
"""
