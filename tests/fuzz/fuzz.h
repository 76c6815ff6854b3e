/* fuzz.h - what the libFuzzer harnesses of tests/fuzz share.
 *
 * Several harnesses take a set of files as one input: the "files" format
 * is name NUL contents NUL name NUL contents ... (the last contents run to
 * the end of the input), as tests/fuzz/pack.py writes it.  Names are made
 * safe for a folder (letters, digits, . _ -, never a leading dot, at most
 * 64 bytes; anything else becomes "fileN.csv").  Contents cannot hold a
 * NUL, which no CSV of kepu's holds either.
 *
 * Every harness works in one temporary folder of its own, removed at exit.
 */
#ifndef KEPU_FUZZ_H
#define KEPU_FUZZ_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lang.h"

struct fz_file {
	char name[72];
	const char *data;
	size_t len;
};

#define FZ_MAXFILES 32

static char fz_dir[256];

static void fz_rmtree(const char *path)
{
	struct stat st;
	struct dirent *de;
	char sub[512];
	DIR *d;

	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode) && (d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
			fz_rmtree(sub);
		}
		closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static void fz_cleanup(void)
{
	if (fz_dir[0])
		fz_rmtree(fz_dir);
}

/* The harness's own temporary folder (made on first use). */
static const char *fz_tmp(void)
{
	const char *t = getenv("TMPDIR");

	if (fz_dir[0])
		return fz_dir;
	snprintf(fz_dir, sizeof fz_dir, "%s/kepu-fuzz.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(fz_dir)) {
		perror("mkdtemp");
		abort();
	}
	atexit(fz_cleanup);
	return fz_dir;
}

/* Quiet, English, a fixed day: the same input always runs the same way. */
static void fz_setup(void)
{
	setenv("KEPU_TODAY", "2025-06-30", 1);
	setenv("KEPU_LANG", "en", 1);
	lang_set(KP_LANG_EN);
}

static const char *fz_forms(void)
{
	const char *f = getenv("KEPU_FORMS");

#ifdef FUZZ_FORMS
	if (!f || !*f) {
		f = FUZZ_FORMS;
		setenv("KEPU_FORMS", f, 1);   /* for the core's own look-ups */
	}
#endif
	if (!f || !*f) {
		fprintf(stderr, "set KEPU_FORMS to the forms folder\n");
		abort();
	}
	return f;
}

static void fz_safe_name(char out[72], const char *in, size_t n, size_t idx)
{
	size_t i;
	bool good = n > 0 && n <= 64 && in[0] != '.';

	for (i = 0; good && i < n; i++)
		good = (in[i] >= 'a' && in[i] <= 'z') || (in[i] >= 'A' && in[i] <= 'Z') ||
		       (in[i] >= '0' && in[i] <= '9') || in[i] == '.' ||
		       in[i] == '_' || in[i] == '-';
	if (good) {
		memcpy(out, in, n);
		out[n] = '\0';
	} else {
		snprintf(out, 72, "file%zu.csv", idx);
	}
}

/* Split p[0..n) in the files format; returns how many files. */
static size_t fz_split(const uint8_t *p, size_t n, struct fz_file *f)
{
	const char *s = (const char *)p, *end = s + n, *z;
	size_t k = 0;

	while (s < end && k < FZ_MAXFILES) {
		z = memchr(s, '\0', (size_t)(end - s));
		if (!z)
			break;
		fz_safe_name(f[k].name, s, (size_t)(z - s), k);
		s = z + 1;
		z = memchr(s, '\0', (size_t)(end - s));
		if (!z)
			z = end;
		f[k].data = s;
		f[k].len = (size_t)(z - s);
		k++;
		s = z < end ? z + 1 : end;
	}
	return k;
}

static void fz_write(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

static void fz_copy(const char *from, const char *to)
{
	FILE *f = fopen(from, "rb");
	char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
		perror(from);
		abort();
	}
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(from);
		abort();
	}
	fclose(f);
	fz_write(to, buf, (size_t)n);
	free(buf);
}

#endif
