/* ui.h - what the TUI's screens share: the state, the screen operations,
 * the key loop and a few drawing helpers.
 *
 * The screen is laid out the same everywhere: row 0 the title (township,
 * year, account, screen), rows 1..LINES-3 the screen's body, row LINES-2
 * the message / question line, row LINES-1 the key bar.
 */
#ifndef KEPU_TUI_UI_H
#define KEPU_TUI_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <ncursesw/curses.h>
#include <ncursesw/form.h>

#include "keymap.h"

struct ledger;
struct record;
struct form;
struct choice;

/* What a key handler asks the main loop to repaint.  Nothing is repainted
 * that the key did not change, so a typed character costs a few bytes. */
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

struct tui;

/* A screen: pushed with an argument, drawn, fed keys, told about size
 * changes and about a dropped link. */
struct screen_ops {
	enum screen_id id;
	const char *title_zh, *title_en;
	bool text_input;        /* printable keys are text, not commands */
	void (*enter)(struct tui *t, const void *arg);
	void (*resume)(struct tui *t);  /* on top again (may be NULL) */
	void (*leave)(struct tui *t);   /* popped (may be NULL) */
	void (*draw)(struct tui *t);    /* paint the body */
	int (*key)(struct tui *t, struct tkey k, enum action act, int arg);
	void (*resize)(struct tui *t);  /* size changed (may be NULL) */
	void (*hangup)(struct tui *t);  /* link dropped (may be NULL) */
	void (*cursor)(struct tui *t);  /* place the cursor (NULL: hidden) */
};

extern const struct screen_ops dashboard_ops;
extern const struct screen_ops entry_ops;
extern const struct screen_ops records_ops;
extern const struct screen_ops help_ops;
extern const struct screen_ops bundle_ops;

/* What the entry screen opens with. */
struct entry_arg {
	const struct form *form;
	const struct record *rec;   /* NULL: a blank record */
	bool editing;               /* rec is a stored record to change */
	bool from_draft;            /* rec came from ledger_draft_get */
};

#define TUI_STACK 6
#define TUI_MIN_COLS 80
#define TUI_MIN_LINES 24
#define BODY_TOP 1
#define BODY_BOTTOM (LINES - 3)
#define MSG_ROW (LINES - 2)
#define BAR_ROW (LINES - 1)

enum msg_kind { MSG_INFO, MSG_OK, MSG_WARN, MSG_ERROR };

enum ui_style { ST_NORMAL, ST_TITLE, ST_ERROR, ST_WARN, ST_OK, ST_HEAD,
                ST_FIELD, ST_CURRENT, ST_BEHIND, ST_BAR };

struct tui {
	struct ledger *lg;
	const struct screen_ops *stack[TUI_STACK];
	int depth;
	bool small;             /* below 80x24: only a notice is shown */
	int laid_lines, laid_cols;  /* the size the screens were laid out for */
	bool colour;
	bool quit;
	const char *codeset;    /* NULL for UTF-8, else the terminal's */
	int pending;            /* RD_* owed since the last paint */
	char msg[600];
	enum msg_kind msg_kind;
	char kept_msg[600];     /* the message under the help screen */
	enum msg_kind kept_kind;
	char exit_msg[600];     /* said on stderr once curses has ended */
};

/* Register t with the drawing helpers (after start_color when
 * t->colour). */
void ui_setup(const struct tui *t);

/* The screen on top. */
const struct screen_ops *tui_top(const struct tui *t);
void tui_push(struct tui *t, const struct screen_ops *s, const void *arg);
void tui_pop(struct tui *t);

/* Paint the parts named by rd (RD_*) and send them in one update. */
void tui_paint(struct tui *t, int rd);

/* Wait for a key.  Returns 0 with *k set, or 1 when the terminal was
 * resized (already handled: the screen was laid out and repainted).
 * A hang-up or termination signal never returns: the screen's hangup
 * operation runs, the database is closed and the process exits. */
int tui_getkey(struct tui *t, struct tkey *k);

/* Drawing.  ui_put writes UTF-8 text at (y, x) in at most `cells` cells
 * (text that does not fit is cut at a character boundary; characters
 * that are not printable are shown as '?'); returns the cells used.
 * ui_put_pad also blanks the rest of the cells. */
int ui_put(int y, int x, const char *s, int cells, enum ui_style st);
int ui_put_pad(int y, int x, const char *s, int cells, enum ui_style st);
int ui_wput(WINDOW *w, int y, int x, const char *s, int cells,
            enum ui_style st, bool pad);
attr_t ui_attr(const struct tui *t, enum ui_style st);

/* Where UTF-8 text s breaks to fit in `cells` cells, by display width
 * (CJK characters take two): returns the bytes of the first line (at
 * least one character) and sets *next to where the next line starts, the
 * spaces at the break skipped.  Lines break after a space or next to a
 * wide character, never before closing punctuation (，。）...) nor after
 * opening punctuation; a word longer than a line is cut. */
size_t ui_wrap(const char *s, int cells, size_t *next);

/* ui_put_pad for text that may need several rows: s is wrapped into
 * `cells` cells, rows after the first indented by `hang` cells.  Draws
 * rows y.. (none above `top` or below `bottom`; pass y < 0 to count
 * only) and returns how many rows the text takes. */
int ui_put_wrapped(int y, int top, int bottom, int x, const char *s,
                   int cells, int hang, enum ui_style st);
void ui_clear_body(void);

/* UTF-8 to the terminal's encoding and back (copies; caller frees; NULL
 * on failure). */
char *ui_to_term(const struct tui *t, const char *utf8);
char *ui_from_term(const struct tui *t, const char *s);

/* The message line.  ui_msg only records it (return RD_MSG to show it);
 * ui_msg_draw paints it now. */
void ui_msg(struct tui *t, enum msg_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ui_msg_draw(struct tui *t);

/* Ask on the message line; returns the key pressed among `answers`
 * (lower case ASCII), or 0 for Esc / cancel. */
int ui_ask(struct tui *t, const char *question, const char *answers);

/* Read a line of text on the message line.  KP_OK with out filled (UTF-8,
 * trimmed), or KP_NOTFOUND when cancelled. */
int ui_prompt(struct tui *t, const char *label, const char *initial,
              char *out, size_t size);

/* The pick list: choose one of n choices, filtering as the clerk types
 * (by number, code or label).  `initial` is what was already typed (UTF-8,
 * may be NULL), `current` the index to start on (-1: none).  Returns the
 * index chosen, or -1 when cancelled. */
int pick_choose(struct tui *t, const char *title, const struct choice *c,
                size_t n, int current, const char *initial);

/* One record as a list line at row y (date, form, title, count, who),
 * highlighted when selected.  Stored text is shown escaped. */
void records_line(struct tui *t, const struct record *r, int y,
                  bool selected);

/* A number as the report writes it ("1665", "62.5"). */
const char *ui_num(double v, char buf[32]);

/* The set_field_buffer / field_buffer pair with the conversions the
 * terminal's encoding needs.  ui_field_get validates the form first (else
 * the current field reads blank) and returns an allocated UTF-8 copy with
 * the padding trimmed (NULL on failure). */
void ui_field_set(const struct tui *t, FIELD *f, const char *utf8);
char *ui_field_get(const struct tui *t, FORM *fm, FIELD *f);

#endif
