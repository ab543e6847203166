import libcst

cst = libcst
