/* screen.h - the TUI's session, the screen stack and waiting for a key.
 *
 * A screen is a table of operations (struct screen_ops) with a state of
 * its own: the stack allocates state_size bytes when the screen is pushed
 * and hands them to every operation, so no screen keeps its state in a
 * file-level global.  screen_getkey is the one place that waits for the
 * clerk: it lays the stack out again after a resize, keeps the drafts and
 * exits on a hang-up, and answers the tests' handshake.  The prompts
 * (prompt.h), the screens and the main loop (tui.c) are built on it; it
 * knows none of them, only the operations of whatever is on the stack.
 */
#ifndef KEPU_TUI_SCREEN_H
#define KEPU_TUI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include "draw.h"
#include "keymap.h"

struct ledger;
struct tui;

/* What a key handler asks to be repainted.  Nothing is repainted that the
 * key did not change, so a typed character costs a few bytes. */
enum {
	RD_NONE = 0,
	RD_TITLE = 1 << 0,
	RD_BODY = 1 << 1,
	RD_MSG = 1 << 2,
	RD_BAR = 1 << 3,
	RD_ALL = RD_TITLE | RD_BODY | RD_MSG | RD_BAR,
	RD_CLEAR = 1 << 4,      /* erase the whole screen first */
	RD_UNHANDLED = 1 << 8,  /* the screen did not use the key */
};

/* A screen: pushed with an argument, drawn, fed keys, told about size
 * changes and about a dropped link.  st is the screen's state:
 * state_size bytes, zeroed before enter, freed after leave (NULL when
 * state_size is 0). */
struct screen_ops {
	enum screen_id id;
	const char *title_zh, *title_en;
	bool text_input;        /* printable keys are text, not commands */
	size_t state_size;
	void (*enter)(struct tui *t, void *st, const void *arg);
	void (*resume)(struct tui *t, void *st);  /* on top again (may be NULL) */
	void (*leave)(struct tui *t, void *st);   /* popped (may be NULL) */
	void (*draw)(struct tui *t, void *st);    /* paint the body */
	int (*key)(struct tui *t, void *st, struct tkey k, enum action act,
	           int arg);                      /* returns RD_* */
	void (*resize)(struct tui *t, void *st);  /* size changed (may be NULL) */
	void (*hangup)(struct tui *t, void *st);  /* link dropped (may be NULL) */
	void (*cursor)(struct tui *t, void *st);  /* place it (NULL: hidden) */
};

#define TUI_STACK 6
#define TUI_MIN_COLS 80
#define TUI_MIN_LINES 24
#define TUI_MSG_MAX 1200

/* A screen on the stack and its state. */
struct screen_slot {
	const struct screen_ops *ops;
	void *state;
};

struct tui {
	struct ledger *lg;
	struct screen_slot stack[TUI_STACK];
	int depth;
	bool small;             /* below 80x24: only a notice is shown */
	int laid_lines, laid_cols;  /* the size the screens were laid out for */
	bool colour;
	bool quit;
	const char *codeset;    /* NULL for UTF-8, else the terminal's */
	int pending;            /* RD_* owed since the last paint */
	char msg[TUI_MSG_MAX];  /* the message; '\n' starts a new line */
	enum msg_kind msg_kind;
	int msg_shown;          /* rows the message shown takes (above BAR_ROW) */
	int msg_end_y, msg_end_x;   /* where its text ends (a question's cursor) */
	int lost_keys;          /* keys pressed while the window was too small */
	char bundle_dir[512];   /* the folder last given on the bundle screen,
	                         * offered again on the next visit */
	char exit_msg[TUI_MSG_MAX];  /* said on stderr once curses has ended */
	int year;               /* the year the screens show; 0: the working
	                         * year (screen_year) */
};

/* The year the screens show (the title, home, the plan evaluation): the
 * working year, today's, until the clerk picks another (key y). */
int screen_year(const struct tui *t);

/* Catch the signals that end the TUI (SIGHUP, SIGTERM, SIGINT, SIGQUIT:
 * they only set a flag screen_getkey acts on), start curses on the
 * terminal, and set t's colour, size and the drawing helpers up.
 * KP_E_IO (message set) when the terminal cannot be used. */
int screen_start(struct tui *t);

/* Pop every screen (each leaves) and end curses. */
void screen_end(struct tui *t);

/* The screen on top (NULL when none). */
const struct screen_slot *screen_top(const struct tui *t);

/* Push s, entered with arg (only borrowed during enter); it starts with
 * a blank message line and everything is repainted.  A full stack
 * pushes nothing; KP_E_NOMEM (message set and shown) when the state
 * cannot be allocated. */
int screen_push(struct tui *t, const struct screen_ops *s, const void *arg);

/* Pop the screen on top (it leaves, its state is freed); the one below
 * resumes. */
void screen_pop(struct tui *t);

/* Paint the parts named by rd (RD_*) and whatever is pending, and send
 * them in one update. */
void screen_paint(struct tui *t, int rd);

/* Wait for a key.  Returns 0 with *k set, or 1 when the terminal was
 * resized (already handled: the screens were laid out and repainted).
 * A hang-up or termination signal never returns: every screen's hangup
 * operation runs, the database is closed and the process exits. */
int screen_getkey(struct tui *t, struct tkey *k);

/* The message area: the row above the key bar, growing upwards over the
 * bottom of the body when a message is longer (it is wrapped by display
 * width, '\n' starts a new line, at most half the window).  screen_msg
 * only records it (return RD_MSG to show it); screen_msg_draw paints it
 * now.  A message of several rows is taken away by the next key (the key
 * still acts), and the body under it is painted again; screen_paint does
 * that repaint whenever the message shrinks. */
void screen_msg(struct tui *t, enum msg_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void screen_msg_draw(struct tui *t);
/* Whether the message takes several rows now. */
bool screen_msg_long(struct tui *t);

#endif
