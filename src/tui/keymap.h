/* keymap.h - the one table of key actions.
 *
 * Every action the clerk can take is a row of keys.c: its keys (function
 * keys and the letter or Ctrl alternatives for terminals that eat function
 * keys), the screens it works on, a short label for the key bar and a
 * sentence for the help screen.  The key bar and the help screen are both
 * generated from that table, so they cannot disagree with the code.
 */
#ifndef KEPU_TUI_KEYMAP_H
#define KEPU_TUI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

enum screen_id {
	SCR_DASHBOARD,
	SCR_ENTRY,
	SCR_RECORDS,
	SCR_HELP,
	SCR_BUNDLE,
	SCR_PLAN,
	SCR_RECEIVED,
	SCR_RECVIEW,
	SCR_DRAFTS,
	SCR__COUNT
};

#define SB(s) (1u << (s))

enum action {
	ACT_NONE,
	ACT_HELP,
	ACT_QUIT,
	ACT_BACK,
	ACT_NEW_FORM,       /* 1-9: a new record of the Nth form */
	ACT_RECORDS,
	ACT_BUNDLE,
	ACT_REDRAW,
	ACT_SAVE,
	ACT_SAVE_NEW,
	ACT_CANCEL,
	ACT_CHOOSE,
	ACT_NEXT_FIELD,
	ACT_PREV_FIELD,
	ACT_CLEAR_FIELD,
	ACT_UP,
	ACT_DOWN,
	ACT_PAGE_UP,
	ACT_PAGE_DOWN,
	ACT_OPEN,
	ACT_DELETE,
	ACT_FILTER_FORM,
	ACT_FILTER_MONTH,
	ACT_FILTER_TEXT,
	ACT_FILTER_CLEAR,
	ACT_EXPORT,
	ACT_EXPORT_FULL,
	ACT_IMPORT,
	ACT_NAMES,          /* the indicators' full names (home) */
	ACT_YEAR,           /* ask for the year the screens show */
	ACT_YEAR_PREV,      /* that year minus one */
	ACT_YEAR_NEXT,      /* plus one, up to this year */
	ACT_PLAN,           /* the plan evaluation (home) */
	ACT_PLAN_PREV,      /* the plan evaluation of the plan before */
	ACT_PLAN_NEXT,      /* of the plan after */
	ACT_PARTY_NEXT,     /* city plan evaluation: the next township */
	ACT_PARTY_PREV,     /* the township before */
	ACT_RECEIVED,       /* city home: who has reported */
	ACT_CLOSE_YEAR,     /* township home: close the year shown */
	ACT_REOPEN_YEAR,    /* ... reopen it */
	ACT_APPROVE,        /* who has reported: approve the township's year */
	ACT_RETURN,         /* ... return it */
	ACT_VIEW,           /* records: the record's fields and attachments */
	ACT_HISTORY,        /* the record's history */
	ACT_ATTACH,         /* record view: attach a file from a folder */
	ACT_DETACH,         /* record view: take the selected attachment off */
	ACT_CHAR_LEFT,      /* editing a field: */
	ACT_CHAR_RIGHT,
	ACT_FIELD_START,
	ACT_FIELD_END,
	ACT_DEL_PREV,
	ACT_DEL_NEXT,
	ACT_KILL_END,
	ACT_KEEP,           /* keep the field for the next sheet (F3) */
	ACT__COUNT
};

/* A key as get_wch delivers it: fn is true for KEY_* codes. */
struct tkey {
	bool fn;
	wint_t ch;
};

#define CTRL_KEY(c) ((c) & 0x1f)

/* Teach curses the sequences PuTTY and Xshell send with TERM=xterm that
 * the terminfo entry lacks (F1-F4 as ESC[11~..ESC[14~, Home ESC[1~,
 * End ESC[4~).  Call once after initscr. */
void keys_setup(void);

/* Fold the many spellings of a key into one (KEY_FIND is PuTTY's Home in
 * some entries, ^H and DEL are both backspace...). */
struct tkey keys_normalise(struct tkey k);

/* The action a key means on a screen.  On screens where the clerk types
 * text (text_input), printable keys never map to an action.  For
 * ACT_NEW_FORM *arg receives the form number (0-based). */
enum action keys_action(enum screen_id scr, bool text_input,
                        struct tkey k, int *arg);

/* The key bar of a screen as one line ("F1 帮助  F2/^S 保存 ..."), at
 * most `cells` cells wide, written into buf (UTF-8).  Keys are named
 * more briefly, then other items left out, before the way back is.  In a
 * city database (city) the township-only actions are left out, in a
 * township database the city-only ones. */
void keys_bar(enum screen_id scr, bool city, char *buf, size_t size,
              int cells);

/* Walk the table for the help screen: fn gets the keys ("F2 ^S"), the
 * help sentence and the screens mask of each action, in table order. */
typedef void (*keys_help_fn)(void *ctx, const char *keys, const char *help,
                             unsigned screens);
void keys_help(keys_help_fn fn, void *ctx);

/* A printable key: something to type into a field. */
bool keys_printable(struct tkey k);

#endif
