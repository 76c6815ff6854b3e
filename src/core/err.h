/* err.h - the one error convention of kepu.
 *
 * Every fallible function returns an int status: KP_OK (0) on success,
 * KP_NOTFOUND (a normal "no such thing" answer, not an error by itself), or
 * one of the KP_E* codes below, whose values are the sysexits.h exit codes
 * the command line returns for them.  A function that fails also records a
 * human-readable message with kp_err_set(); callers that pass the failure
 * up unchanged do not touch the message.  The message is in the user's
 * language (see lang.h) and never ends in a newline.
 *
 * The message buffer is per thread and overwritten by the next failure.
 */
#ifndef KEPU_ERR_H
#define KEPU_ERR_H

enum kp_status {
	KP_OK = 0,
	KP_NOTFOUND = 1,     /* lookup found nothing; exit code 66 if fatal */
	KP_E_USAGE = 64,     /* bad command line */
	KP_E_DATA = 65,      /* bad input data: nothing was stored */
	KP_E_NOINPUT = 66,   /* input file, database or record missing */
	KP_E_NOMEM = 71,     /* out of memory (EX_OSERR) */
	KP_E_SOFTWARE = 70,  /* internal error: a bug */
	KP_E_CANTCREAT = 73, /* cannot create an output file or database */
	KP_E_IO = 74,        /* I/O error */
	KP_E_TEMPFAIL = 75,  /* busy, or a revision conflict: try again */
	KP_E_NOPERM = 77,    /* permission denied: a file or folder this
	                      * user may not open (not "missing") */
	KP_E_INTR = 130,     /* stopped on request (stop.h) before it was
	                      * done, nothing of it kept; the command line
	                      * exits with 128 + the signal */
};

/* Record the message for the failure being returned; returns code so that
 * `return kp_err_set(KP_E_DATA, "...")` reads naturally.  printf format. */
int kp_err_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefix the current message with "prefix: " (for context added on the
 * way up, e.g. a file name).  Returns code. */
int kp_err_wrap(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* kp_err_set(KP_E_NOMEM, ...) with the usual message; returns KP_E_NOMEM. */
int kp_err_nomem(void);

/* The last message recorded in this thread ("" if none).  The pointer stays
 * valid until the next kp_err_set()/kp_err_wrap() in this thread. */
const char *kp_err_msg(void);

/* A short generic description of a status code, in the user's language. */
const char *kp_strerror(int code);

/* The process exit code for a status (KP_NOTFOUND maps to 66). */
int kp_exit_code(int code);

#endif
