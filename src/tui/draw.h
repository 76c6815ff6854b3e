/* draw.h - what the TUI draws with: the screen's layout, styles, text that
 * fits in cells, the message line's paint and the terminal's encoding.
 *
 * Nothing here waits for a key or knows the screens: every other file of
 * the TUI may use it, and it uses none of them.
 *
 * The screen is laid out the same everywhere: row 0 the title (township,
 * year, account, screen), rows BODY_TOP..BODY_BOTTOM the screen's body,
 * MSG_ROW the message / question line, BAR_ROW the key bar.
 */
#ifndef KEPU_TUI_DRAW_H
#define KEPU_TUI_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <ncursesw/curses.h>

#define BODY_TOP 1
#define BODY_BOTTOM (LINES - 3)
#define MSG_ROW (LINES - 2)
#define BAR_ROW (LINES - 1)

enum msg_kind { MSG_INFO, MSG_OK, MSG_WARN, MSG_ERROR };

enum draw_style { ST_NORMAL, ST_TITLE, ST_ERROR, ST_WARN, ST_OK, ST_HEAD,
                  ST_FIELD, ST_CURRENT, ST_BEHIND, ST_BAR };

/* The terminal the helpers draw for: colour (after start_color) or only
 * attributes, and its encoding (NULL for UTF-8, else an iconv name such
 * as "GB18030").  Called once, after curses has started; codeset must
 * outlive the TUI. */
void draw_setup(bool colour, const char *codeset);

/* The attribute of a style: colour is a bonus, every style also works on
 * a vt100. */
attr_t draw_attr(enum draw_style st);

/* draw_put writes UTF-8 text at (y, x) in at most `cells` cells (text
 * that does not fit is cut at a character boundary; characters that are
 * not printable are shown as '?'); returns the cells used.  draw_put_pad
 * also blanks the rest of the cells; draw_wput does either in window w. */
int draw_put(int y, int x, const char *s, int cells, enum draw_style st);
int draw_put_pad(int y, int x, const char *s, int cells, enum draw_style st);
int draw_wput(WINDOW *w, int y, int x, const char *s, int cells,
              enum draw_style st, bool pad);

/* Where UTF-8 text s breaks to fit in `cells` cells, by display width
 * (CJK characters take two): returns the bytes of the first line (at
 * least one character) and sets *next to where the next line starts, the
 * spaces at the break skipped.  Lines break after a space or next to a
 * wide character, never before closing punctuation (，。）...) nor after
 * opening punctuation; a word longer than a line is cut. */
size_t draw_wrap(const char *s, int cells, size_t *next);

/* draw_put_pad for text that may need several rows: s is wrapped into
 * `cells` cells, rows after the first indented by `hang` cells.  Draws
 * rows y.. (none above `top` or below `bottom`; pass y < 0 to count
 * only) and returns how many rows the text takes. */
int draw_put_wrapped(int y, int top, int bottom, int x, const char *s,
                     int cells, int hang, enum draw_style st);

/* Blank rows BODY_TOP..BODY_BOTTOM. */
void draw_clear_body(void);

/* The message line (MSG_ROW) showing text as a message of that kind. */
void draw_msg_line(const char *text, enum msg_kind kind);

/* UTF-8 to the terminal's encoding and back (copies; caller frees; NULL
 * when out of memory, and draw_from_term also for text the encoding
 * cannot read; draw_to_term shows what it cannot convert as "?"). */
char *draw_to_term(const char *utf8);
char *draw_from_term(const char *s);

/* A number as the report writes it ("1665", "62.5"); returns buf. */
const char *draw_num(double v, char buf[32]);

#endif
