/* fsutil.h - small file-system helpers shared by the command line and
 * the TUI. */
#ifndef KEPU_FSUTIL_H
#define KEPU_FSUTIL_H

/* Create every missing folder above the file `path` (like mkdir -p of its
 * directory).  KP_OK, or KP_E_CANTCREAT / KP_E_NOMEM with the message set
 * in the user's language only (the cause too, not strerror's English). */
int fs_make_parents(const char *path);

/* Why a file operation failed, in the user's language (errno e). */
const char *fs_errno_text(int e);

#endif
