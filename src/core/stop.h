/* stop.h - stopping a long command on request, cleanly.
 *
 * The command line catches SIGINT (Ctrl-C), SIGHUP (a dropped SSH link)
 * and SIGTERM while it exports, imports or adds a CSV file, and its
 * handler calls stop_request().  The core looks at the request at its
 * stop points, between one step and the next (a row read, a row stored, a
 * file written), and answers KP_E_INTR: the operation then undoes what it
 * began (a write transaction aborts, a half-written bundle folder is
 * removed) and its caller says so.  Past the point of no return (a bundle
 * renamed into place) there are no stop points: the work is finished and
 * the request only noted.
 *
 * Test hooks (tests only):
 *   $KEPU_TEST_SIGNAL=SIG@N  the process sends itself SIG (INT, HUP, TERM
 *                            or KILL) at its Nth stop point (N from 1),
 *                            as a signal arriving just then would;
 *   $KEPU_TEST_CRASH=NAME    it sends itself SIGKILL at the crash point
 *                            NAME (stop_crash_point), a place where a
 *                            power cut or kill -9 must leave nothing lost.
 */
#ifndef KEPU_STOP_H
#define KEPU_STOP_H

/* Note that signal sig asked to stop.  Async-signal-safe. */
void stop_request(int sig);

/* The signal that asked to stop, 0 while none did. */
int stop_requested(void);

/* A stop point: KP_OK, or KP_E_INTR with the message "stopped by SIGINT
 * (Ctrl-C)" (the signal's name and what it usually means) when a stop
 * was asked for. */
int stop_point(void);

/* A crash point of the tests ($KEPU_TEST_CRASH); does nothing otherwise. */
void stop_crash_point(const char *name);

/* The name of a signal kepu stops on ("SIGINT"), "signal N" for others. */
const char *stop_signal_name(int sig);

#endif
