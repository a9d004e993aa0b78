"""The data layer: what the dataset is and how it is read, before any chapter sees it.

- ``tables``: each table's file, the source crediting it and how its rows are dated (the registry)
- ``schema``: each table's columns and their checks (pandera models); ``limits``: the ranges
- ``rawcsv``: strict CSV reading (a truncated file is an error, never a shorter table)
- ``columns``: typing each column and applying the schema; ``table_cache``: typed tables cached
- ``checks``: problems across tables (references, claims); ``dataset``: loading, the as-of cut
- ``validate`` (``xaibook validate``), ``facts`` (``xaibook facts``), ``datadoc`` (data README)
- ``bibliography``: references.bib; ``problems``: one problem found in the data; ``missing``

Imports flow one way: this layer imports nothing from the model, the chapters or the build.
"""
