"""civicnb: a classroom civics lesson package on Jupyter.

Kept light on purpose: importing the package loads no widgets, nbformat or Typst. Notebooks call
``from civicnb import open_lesson``, which imports what it needs on first use.
"""
__version__ = "0.1.0"


def open_lesson(name, work_dir=None, student=None, root=None, lang=None):
    """Open lesson ``name`` (e.g. ``"00"``) for a student; see :mod:`civicnb.notebook`."""
    from .notebook import open_lesson as _open

    return _open(name, work_dir=work_dir, student=student, root=root, lang=lang)


__all__ = ["open_lesson", "__version__"]
