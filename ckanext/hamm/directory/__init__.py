"""Staff sign in with the city's directory (LDAP / Active Directory), issue 31.

- ``client.py`` talks to the directory with ldap3: StartTLS or LDAPS (plain only with the
  developer flag), the service account finds the entry, the user's own bind checks the
  password, nested groups are resolved.
- ``roles.py`` reads the city's ``schemas/directory_roles.yaml``: groups → organisation role
  and sysadmin.
- ``accounts.py`` makes the CKAN user follow the directory at every sign-in and in
  ``ckan hamm directory sync``: created at first sign-in, roles granted and taken away,
  disabled or deleted accounts set to ``deleted`` (no sign-in, no API token). Every change
  is logged; no password or bind secret ever is.
- ``login.py`` is the step of the ``hamm`` plugin's ``authenticate``.

ldap3 (pure Python) rather than ckanext-ldap: see docs/directory.md.
"""
