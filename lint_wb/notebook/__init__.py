"""Jupyter notebooks: a notebook is a module whose source comes from its code cells.

The code cells are linted as one module, in the order they appear: a client made in cell 2
is the client of the request in cell 5, as for a user who runs the notebook top to bottom.
The cells are joined with a boundary comment line between them, so that each finding maps
back to its cell (1-based position among all cells, as Jupyter lays them out) and its row in
the cell, and the fixed text cuts back into cells.

This package only reads and writes; linting, caching and fixing are the pipeline every file
goes through (`api.py`):
- `cells.py`: the code cells of a notebook's JSON, and placeholders for IPython lines;
- `module.py`: cells -> one module and a cell map, fixed module -> cells (loads libcst);
- `write.py`: fixed cells back into the JSON, every other byte kept.
"""
