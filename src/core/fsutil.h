/* fsutil.h - small file-system helpers shared by the command line and
 * the TUI. */
#ifndef KEPU_FSUTIL_H
#define KEPU_FSUTIL_H

#include <stdbool.h>

/* Create every missing folder above the file `path` (like mkdir -p of its
 * directory).  KP_OK, or KP_E_CANTCREAT / KP_E_NOMEM with the message set
 * in the user's language only (the cause too, not strerror's English). */
int fs_make_parents(const char *path);

/* Why a file operation failed, in the user's language (errno e): static
 * text, or a buffer of this thread's that the next call overwrites. */
const char *fs_errno_text(int e);

/* Whether paths a and b name one file that exists (the same device and
 * inode: a link, another spelling of the path).  false when either cannot
 * be found. */
bool fs_same_file(const char *a, const char *b);

/* What keeps this user from the database at path (with its lock file
 * path-lock), for a "permission denied" message: the first folder on
 * the way that is closed to them, else the file or the lock file they may
 * not read and write (or the folder they may not create it in), with its
 * owner, group and mode: "the folder /srv/kepu (root:kepu, drwxrwx---) is
 * closed to nobody".  Into out (n bytes); "" when nothing is found. */
void fs_denied_what(const char *path, char *out, size_t n);

/* After the database at path was created: what would lock the other
 * clerks of a shared office out, as notes in the user's language (each
 * and the array allocated; the caller frees them).  Only a folder that
 * looks shared (setgid, writable by its group, or another user's) is
 * judged: the database and its lock file must be readable and writable by
 * the folder's group, and belong to it.  KP_OK (0 notes when all is well)
 * or KP_E_NOMEM. */
int fs_share_notes(const char *path, char ***notes, size_t *n);

#endif
