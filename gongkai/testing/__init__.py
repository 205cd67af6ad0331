"""What the tests share (never imported by the site itself).

- world: the cast (``Team``: an agency with a person in every role; ``PERSONAS``; ``World``: our
  agency and another one, for permission ladders and leak tests; ``officers``, ``superuser``).
- builders: data made through the services, as users make it (items and revisions along the
  review chain, requests registered and moved along, annual reports written and signed).
- fixtures: the pytest plugin (``team``, ``other_team``, ``fresh_cache``, ``api``, ``demo`` ...).
- ladder: the permission-ladder ``Case`` and ``call``.
- factories: rows without a workflow (agencies, departments, users with roles).
- pages, files, attachment_files, postgres: signed-in pages, uploads, crafted files, scratch databases.
"""
