"""Owner mode parsers: Dreamwidth's protocol and comment export, answers in, records out.

Pure functions and frozen dataclasses, like the rest of scraper.parse: nothing here does HTTP
or SQL. Modules:

- secret: Secret (a credential that prints as a mask) and redact() for stored answers.
- faults: protocol fault codes -> the typed errors of scraper.errors.
- xmlrpc, flat: the two transports of /interface (request bodies, answer decoding).
- protocol: sessiongenerate, sessionexpire, syncitems, getevents (requests and typed answers).
- export: /export_comments paths and the comment_meta / comment_body pages.
- formats, userlink, cleaner, sanitize, render: raw entry/comment source -> the HTML and text
  Dreamwidth's pages show (format choice, user links and @mentions, LJ::CleanHTML's steps,
  nh3, block_text).
- build: getevents entries and exported comments -> EntryRecord / CommentRecord.
"""
