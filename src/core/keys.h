/* keys.h - the signing keys that make a USB bundle trustworthy.
 *
 * Every database holds one Ed25519 key pair (libsodium crypto_sign) in
 * DB_KEYS ("sign_pk", "sign_sk"), created on first need.  A township hands
 * its public key to the city once (a key file, see keys_write_public), and
 * the city stores it as "trust:<township>"; a township database trusts the
 * city's key as "trust:all".  Bundles are accepted only when signed by the
 * key trusted for their sender, never by the key a bundle carries itself.
 *
 * The secret key lives in the database file (and in every backup of it,
 * store_backup): whoever can read the file can sign as this township.  A
 * key that may have leaked is replaced with keys_rotate; the old public
 * key is kept as "retired:<fingerprint>", and the city accepts bundles
 * signed with the new one only once it trusts it (keys_trust with
 * replace), refusing them until then.
 */
#ifndef KEPU_KEYS_H
#define KEPU_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ledger.h"

#define KEYS_PK_BYTES 32          /* crypto_sign_PUBLICKEYBYTES */
#define KEYS_SIG_BYTES 64         /* crypto_sign_BYTES */
#define KEYS_FPR_LEN 19           /* "xxxx-xxxx-xxxx-xxxx" */

/* The name this database signs as: its township, or "all" for the city. */
const char *keys_identity(const struct ledger *lg);

/* Create the key pair if the database has none (needs a writable ledger).
 * KP_OK when a key pair exists afterwards. */
int keys_ensure(struct ledger *lg);

/* Replace this database's key pair with a new one (old_pk and new_pk
 * receive the public keys); the old public key is kept in the history
 * ("retired:<fingerprint>": its key, when, by whom), its secret key is
 * gone.  KP_E_DATA when the database has no key pair yet. */
int keys_rotate(struct ledger *lg, unsigned char old_pk[KEYS_PK_BYTES],
                unsigned char new_pk[KEYS_PK_BYTES]);

/* Every retired key, in fingerprint order: fn(ctx, fingerprint, when
 * retired "YYYY-MM-DDTHH:MM:SSZ" or "").  fn returns KP_OK to go on. */
typedef int (*keys_retired_fn)(void *ctx, const char *fpr, const char *when);
int keys_retired(struct ledger *lg, keys_retired_fn fn, void *ctx);

/* This database's public key.  KP_NOTFOUND when it has none yet. */
int keys_public(struct ledger *lg, unsigned char pk[KEYS_PK_BYTES]);

/* Detached signature of msg with this database's secret key (the key pair
 * is created first if missing). */
int keys_sign(struct ledger *lg, const void *msg, size_t n,
              unsigned char sig[KEYS_SIG_BYTES]);

/* KP_OK when sig is pk's signature of msg, else KP_E_DATA. */
int keys_verify(const unsigned char pk[KEYS_PK_BYTES], const void *msg,
                size_t n, const unsigned char sig[KEYS_SIG_BYTES]);

/* The key trusted for `who` (a township id or "all"): this database's own
 * key when who is its own identity, else the one stored by keys_trust.
 * KP_NOTFOUND when there is none. */
int keys_trusted(struct ledger *lg, const char *who,
                 unsigned char pk[KEYS_PK_BYTES]);

/* Trust pk for `who`.  A city database trusts townships of its schema, a
 * township database only the city ("all").  A different key already
 * trusted for who is kept (KP_E_DATA) unless replace is set. */
int keys_trust(struct ledger *lg, const char *who,
               const unsigned char pk[KEYS_PK_BYTES], bool replace);

/* Short human-checkable form of a key (first 8 bytes of its SHA-256, hex,
 * in groups of four), to read out over the telephone. */
void keys_fingerprint(const unsigned char pk[KEYS_PK_BYTES],
                      char out[KEYS_FPR_LEN + 1]);

/* The public key file (a key,value CSV: format, township, public_key,
 * fingerprint).  keys_read_public checks the format and the key. */
int keys_write_public(struct ledger *lg, FILE *f);
int keys_read_public(const char *path, char who[RECORD_NAME_MAX],
                     unsigned char pk[KEYS_PK_BYTES]);

/* Hex helpers (lower case); keys_from_hex: KP_E_DATA unless s is exactly
 * 2*n hex digits (surrounding white space allowed). */
void keys_to_hex(const unsigned char *b, size_t n, char *out);
int keys_from_hex(const char *s, unsigned char *b, size_t n);

#endif
