/* lang.h - the user's language.
 *
 * kepu speaks Chinese and English.  Forms carry labels in both languages as
 * data and findings carry both messages (the city's reports need both), so
 * every user-facing string in the code is written as a pair and picked at
 * run time with L("中文", "English").
 *
 * The language is chosen once at start-up by lang_init(): $KEPU_LANG
 * ("zh" or "en"), else LC_ALL / LC_MESSAGES / LANG beginning with "en"
 * selects English, anything else (including C and POSIX) Chinese.
 */
#ifndef KEPU_LANG_H
#define KEPU_LANG_H

#include <stdbool.h>

enum kp_lang { KP_LANG_ZH = 0, KP_LANG_EN = 1 };

/* Decide the language from the environment (or force it when
 * override is "zh"/"en"; NULL to read the environment). */
void lang_init(const char *override);
enum kp_lang lang_get(void);
void lang_set(enum kp_lang l);

/* Pick one of two static strings; never returns NULL (falls back to the
 * other language when one is NULL or empty). */
const char *L(const char *zh, const char *en);

/* L() for printf formats (kp_err_set, sbuf_printf): a conditional of two
 * literals, so the compiler still checks the arguments under
 * -Wformat-nonliteral.  Both formats take the same arguments in order. */
#define LF(zh, en) (lang_get() == KP_LANG_EN ? (en) : (zh))

#endif
