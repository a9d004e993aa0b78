"""The book's own Sphinx extension (named in ``_config.yml``): rendering speed-ups only.

sphinxcontrib-bibtex asks pybtex for its plain-text backend once per citation, and pybtex
answers by scanning the entry points of every installed package: about 20 ms a lookup, so
half of a ten-second render for the book's few hundred citations. Registering the very class
pybtex finds, through its public ``register_plugin``, makes every later lookup a dict read;
the output is unchanged.
"""

from __future__ import annotations

# (plugin group, name) pairs looked up per citation
PER_CITATION_PLUGINS = (("pybtex.backends", "plaintext"),)


def setup(app) -> dict:
    from pybtex.plugin import find_plugin, register_plugin

    for group, name in PER_CITATION_PLUGINS:
        register_plugin(group, name, find_plugin(group, name), force=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
