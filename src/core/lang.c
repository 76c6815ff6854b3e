/* lang.c - choosing between Chinese and English. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lang.h"

static enum kp_lang current = KP_LANG_ZH;

static bool starts_en(const char *v)
{
	return v && strncmp(v, "en", 2) == 0;
}

void lang_init(const char *override)
{
	const char *v = override ? override : getenv("KEPU_LANG");

	if (v && *v) {
		current = starts_en(v) ? KP_LANG_EN : KP_LANG_ZH;
		return;
	}
	/* The first of these that is set decides, as in setlocale(3). */
	v = getenv("LC_ALL");
	if (!v || !*v)
		v = getenv("LC_MESSAGES");
	if (!v || !*v)
		v = getenv("LANG");
	current = starts_en(v) ? KP_LANG_EN : KP_LANG_ZH;
}

enum kp_lang lang_get(void)
{
	return current;
}

void lang_set(enum kp_lang l)
{
	current = l;
}

const char *L(const char *zh, const char *en)
{
	if (current == KP_LANG_EN)
		return (en && *en) ? en : (zh ? zh : "");
	return (zh && *zh) ? zh : (en ? en : "");
}
