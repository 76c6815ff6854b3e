/* stop.c - the request to stop, the stop points that honour it, and the
 * tests' signals and crash points. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "lang.h"
#include "stop.h"

static volatile sig_atomic_t requested;

void stop_request(int sig)
{
	requested = sig;
}

int stop_requested(void)
{
	return requested;
}

const char *stop_signal_name(int sig)
{
	static char other[24];

	switch (sig) {
	case SIGINT:  return "SIGINT";
	case SIGHUP:  return "SIGHUP";
	case SIGTERM: return "SIGTERM";
	case SIGKILL: return "SIGKILL";
	default:
		snprintf(other, sizeof other, "signal %d", sig);
		return other;
	}
}

/* $KEPU_TEST_SIGNAL=SIG@N: the signal and the stop point it comes at. */
static void test_signal(int *sig, long *at)
{
	static const struct { const char *name; int sig; } names[] = {
		{ "INT", SIGINT }, { "HUP", SIGHUP }, { "TERM", SIGTERM },
		{ "KILL", SIGKILL },
	};
	const char *v = getenv("KEPU_TEST_SIGNAL"), *a;
	size_t i;

	*sig = 0;
	*at = 0;
	if (!v || !(a = strchr(v, '@')))
		return;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i].name) == (size_t)(a - v)
		    && strncmp(v, names[i].name, (size_t)(a - v)) == 0)
			*sig = names[i].sig;
	*at = strtol(a + 1, NULL, 10);
}

int stop_point(void)
{
	static long passed, at = -1;
	static int sig;
	int s;

	if (at < 0)
		test_signal(&sig, &at);
	if (sig && ++passed == at)
		raise(sig);
	if (!(s = requested))
		return KP_OK;
	if (s == SIGINT)
		return kp_err_set(KP_E_INTR, "%s", LF("被 SIGINT（Ctrl-C）中止",
		                  "stopped by SIGINT (Ctrl-C)"));
	if (s == SIGHUP)
		return kp_err_set(KP_E_INTR, "%s", LF("被 SIGHUP 中止（终端或 SSH 连接断开）",
		                  "stopped by SIGHUP (the terminal or SSH link went away)"));
	return kp_err_set(KP_E_INTR, LF("被 %s 中止", "stopped by %s"),
	                  stop_signal_name(s));
}

void stop_crash_point(const char *name)
{
	const char *v = getenv("KEPU_TEST_CRASH");

	if (v && strcmp(v, name) == 0)
		raise(SIGKILL);
}
