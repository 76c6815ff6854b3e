/* bundle_fault.c - the bundle writer's test hooks: a write that fails
 * after N bytes ($KEPU_FAIL_WRITE_AFTER), a file's fsync or the final
 * folder sync that fails ($KEPU_FAIL_FSYNC, $KEPU_FAIL_DIRSYNC), and the
 * log of every fsync and the rename ($KEPU_SYNC_LOG). */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_int.h"

static long long fault_limit = -1;
static unsigned long long fault_written;

void bundle_fault_reset(void)
{
	const char *v = getenv("KEPU_FAIL_WRITE_AFTER");
	char *end;

	fault_limit = -1;
	fault_written = 0;
	if (v && *v) {
		long long n = strtoll(v, &end, 10);

		if (*end == '\0' && n >= 0)
			fault_limit = n;
	}
}

/* Test hook: $KEPU_FAIL_DIRSYNC makes the final folder sync fail. */
bool bundle_fault_dirsync(void)
{
	const char *v = getenv("KEPU_FAIL_DIRSYNC");

	return v && *v;
}

/* Test hooks: $KEPU_FAIL_FSYNC=NAME makes the fsync of the bundle's file
 * NAME fail; $KEPU_SYNC_LOG=FILE appends to FILE a line for every fsync
 * and the rename, once each has succeeded, in the order they happen, so
 * that a test sees each happen, and in which order. */
void bundle_sync_log(const char *what, const char *name)
{
	const char *v = getenv("KEPU_SYNC_LOG");
	FILE *f;

	if (v && *v && (f = fopen(v, "a")) != NULL) {
		fprintf(f, "%s %s\n", what, name);
		fclose(f);
	}
}

int bundle_sync_file(int fd, const char *name)
{
	const char *v = getenv("KEPU_FAIL_FSYNC");

	if (v && strcmp(v, name) == 0)
		return EIO;
	if (fsync(fd) != 0)
		return errno;
	bundle_sync_log("fsync", name);
	return 0;
}

bool bundle_fault_hit(size_t n)
{
	if (fault_limit < 0)
		return false;
	if (fault_written + n > (unsigned long long)fault_limit)
		return true;
	fault_written += n;
	return false;
}
