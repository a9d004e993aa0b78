"""Per-chapter analysis: pure functions from a Dataset to frames, sentences and charts.

One module per chapter (funding, competition, infrastructure, risk, methods; a package of one
module per section where a chapter outgrew one file) plus ``common`` for what several chapters
need. Chapters call these in one or two lines; tests call them on the shipped data and on odd
copies of it.
"""
