"""xaibook: the library behind the xAI compute-race report.

Chapters call into this package for data (``xaibook.data.dataset``), figures (``xaibook.charts``)
and glued numbers; the command line (``xaibook.cli``) validates data and builds the book.
"""

__version__ = "0.1.0"
