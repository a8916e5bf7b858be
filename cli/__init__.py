"""The command line, ``python -m scoring``: validate, describe, template, score and report.

An entry point above the engine: it reads files, scores them with :mod:`scoring`, words the
result with :mod:`presentation` and writes reports with :mod:`reports`, so the engine itself
never reaches up into either.
"""
