# kepu.m4 - local autoconf macros.

# KEPU_ADD_CFLAG_IF_SUPPORTED(VARIABLE, FLAG)
# Append FLAG to VARIABLE when the C compiler accepts it without a warning.
AC_DEFUN([KEPU_ADD_CFLAG_IF_SUPPORTED], [
  kepu_save_CFLAGS="$CFLAGS"
  CFLAGS="$CFLAGS -Werror $2"
  AC_MSG_CHECKING([whether $CC accepts $2])
  AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
    [AC_MSG_RESULT([yes]); $1="$$1 $2"],
    [AC_MSG_RESULT([no])])
  CFLAGS="$kepu_save_CFLAGS"
])
