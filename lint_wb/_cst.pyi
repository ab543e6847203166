import libcst

cst = libcst

def is_loaded() -> bool: ...
