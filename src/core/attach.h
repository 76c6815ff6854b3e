/* attach.h - the files a record may carry as evidence, judged without a
 * database: which names are good, which types are taken (by their
 * contents, not only their names), how big one may be, and reading one
 * from the file system for attaching.
 *
 * Accepted: photos (JPEG, PNG), PDF and office documents (doc, docx, xls,
 * xlsx, wps, et, odt, ods), each recognised by its first bytes (its magic
 * number) and named with an extension of its type; at most
 * ATTACH_MAX_BYTES each.  ledger.h stores them (ledger_attach); bundles
 * carry them (docs/bundle-format.md).
 */
#ifndef KEPU_ATTACH_H
#define KEPU_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

/* 20 MiB: a scanned sign-in sheet or a phone photo is 1-5 MB; a limit
 * keeps one mistaken video from filling a USB stick or the database. */
#define ATTACH_MAX_BYTES ((uint64_t)20 << 20)
#define ATTACH_HEX_LEN (2 * RECORD_SHA_LEN)

/* A name an attachment may have: 1 to 255 bytes of UTF-8 with no '/',
 * '\\', control characters (C0, DEL, C1) or bidirectional controls
 * (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) nor any other
 * character text_check_storable refuses (zero-width and other invisible
 * ones), not beginning with '.' (so never "." or "..") and not beginning
 * or ending with a space.  It is a label, never used as a path.  KP_OK or KP_E_DATA with a
 * message naming the name. */
int attach_name_check(const char *name);

/* The type of a file named name whose first bytes are head (n bytes, as
 * many as the file has up to 4096): its contents must be one of the
 * accepted types and its name must end in an extension of that type
 * (case ignored: IMG_0001.JPG is a jpg).  KP_OK and *type (static: "jpg",
 * "png", "pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "odt", "ods"),
 * or KP_E_DATA with a message saying what the file is and what is taken. */
int attach_type_of(const char *name, const void *head, size_t n,
                   const char **type);

/* Whether type is one of those attach_type_of gives. */
bool attach_type_known(const char *type);

/* How a type is named for people ("JPEG 照片" / "JPEG photo"), in the
 * current language; the type itself when unknown. */
const char *attach_type_label(const char *type);

/* A size as people read it: "512 B", "340 KB", "2.1 MB".  Returns buf. */
char *attach_size_text(uint64_t bytes, char buf[32]);

/* SHA-256 as 64 lower-case hex digits, and back (KP_E_DATA when hex is
 * not exactly that). */
void attach_hex(const unsigned char sha[RECORD_SHA_LEN],
                char hex[ATTACH_HEX_LEN + 1]);
int attach_from_hex(const char *hex, unsigned char sha[RECORD_SHA_LEN]);

/* A file read for attaching: its bytes (owned) and what the record will
 * say of it. */
struct attach_file {
	char *data;
	size_t len;
	struct record_att meta;
};

/* Read the file at path to attach it under name (NULL: the last part of
 * path), without following a symbolic link (O_NOFOLLOW): it must be a
 * regular file, not empty, at most ATTACH_MAX_BYTES, with a good name
 * and an accepted type.  out->meta gets name, SHA-256 (libsodium), size
 * and type.  KP_OK; KP_E_NOINPUT (no such file, a link, a folder...),
 * KP_E_DATA (refused: empty, too big, a name or type not taken), KP_E_IO;
 * the message names the file and says why. */
int attach_read(const char *path, const char *name, struct attach_file *out);
void attach_file_free(struct attach_file *f);

#endif
