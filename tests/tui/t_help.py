"""The help screen at 80x24, in Chinese and in English: sentences wider than
the screen are wrapped by display width (a Chinese character takes two
cells) under their own column, never cut, and the help scrolls page by page
to its last line and back."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import ESC, F, Tap, Term, Workdir

tap = Tap()
PGDN, PGUP = "\x1b[6~", "\x1b[5~"

# Sentences longer than a row at 80 columns, as the key table and the help
# screen write them.
LONG = {
    "zh": ["选项栏：打开选择列表（可输入代码、序号或中文筛选）；日期栏：填今天",
           "日期可写 2025-03-05、2025/3/5、20250305、3-5（今年，即工作年度）、"
           "今天/t、昨天/y、-3（三天前）",
           "保存后直接录同一表单的下一张签到表，标了 = 的栏目留着（日期、主办单位、"
           "地点，以及用 F5 标上的）",
           "PuTTY / Xshell 吞掉功能键时，用 ^ 开头的 Ctrl 组合键（^S 即 Ctrl+S）。"],
    "en": ["Choice field: open the pick list (type a code, number or text to "
           "filter); date field: today",
           "Dates: 2025-03-05, 2025/3/5, 20250305, 3-5 (this year), today/t, "
           "yesterday/y, -3 (three days ago)",
           "Save, then go straight to the next sheet of the form, keeping the "
           "fields marked = (date, organizer, venue, and those marked with F5)",
           "Delete the record (asks first; leaves a tombstone for the city)",
           "When PuTTY or Xshell takes the function keys, use the Ctrl keys "
           "(^S is Ctrl+S)."],
}
COUNT = {"zh": r"帮助第 (\d+)-(\d+) 行，共 (\d+) 行",
         "en": r"Help rows (\d+)-(\d+) of (\d+)"}


def body(t):
    """The help's rows on screen (between the title and the message)."""
    return [t.row(y).rstrip() for y in range(1, t.screen.lines - 2)]


def cells_ok(t):
    """The help is wrapped at 78 cells from column 1: nothing is in the
    last column (a wide character there would show as its empty second
    half)."""
    last = t.screen.columns - 1
    return all(t.screen.buffer[y][last].data == " "
               for y in range(1, t.screen.lines - 2))


def whole(rows, sentence):
    """Is the sentence on 1 to 3 consecutive rows (joined where wrapped:
    at a space, or between two characters)?"""
    for i in range(len(rows)):
        for n in (1, 2, 3):
            parts = [r.strip() for r in rows[i:i + n]]
            if sentence in " ".join(parts) or sentence in "".join(parts):
                return True
    return False


def test_help(w, lang):
    t = Term(w.db, lang=lang)
    try:
        t.home(lang)
        t.send(F[1])
        title = "帮助" if lang == "zh" else "Help"
        tap.ok(title in t.row(0), "%s: F1 opens the help" % lang, t)
        m = re.search(COUNT[lang], t.row(t.screen.lines - 2))
        tap.ok(m and m.group(1) == "1" and int(m.group(3)) > 21,
               "%s: the help is longer than the screen and says which rows "
               "are shown" % lang, t)
        total = int(m.group(3)) if m else 0
        seen, pages, ok_cells = {}, 0, True
        while True:
            ok_cells = ok_cells and cells_ok(t)
            m = re.search(COUNT[lang], t.row(t.screen.lines - 2))
            if not m:
                break
            first, last = int(m.group(1)), int(m.group(2))
            for k, r in enumerate(body(t)[:last - first + 1]):
                seen[first + k] = r
            pages += 1
            if last >= total or pages > 10:
                break
            t.send(PGDN)
        rows = [seen.get(k, "?") for k in range(1, total + 1)]
        tap.is_eq(sorted(seen), list(range(1, total + 1)),
                  "%s: PgDn pages through all %d rows" % (lang, total), t)
        tap.ok(ok_cells, "%s: no row reaches the last column" % lang, t)
        for s in LONG[lang]:
            tap.ok(whole(rows, s), "%s: wrapped, not cut: %s..." % (lang, s[:24]))
        tap.ok([r for r in rows if re.match(r" {25}\S", r)],
               "%s: a key's sentence continues under its own column" % lang, t)
        tap.ok(all(r.strip() for r in rows[-1:]), "%s: the last page ends "
               "with the last row" % lang, t)
        t.send(PGUP * pages)        # as many pages back as there were
        m = re.search(COUNT[lang], t.row(t.screen.lines - 2))
        tap.ok(m and m.group(1) == "1", "%s: PgUp goes back to the top"
               % lang, t)
        t.send("j")
        m = re.search(COUNT[lang], t.row(t.screen.lines - 2))
        tap.ok(m and m.group(1) == "2", "%s: j scrolls one row" % lang, t)
        t.resize(24, 120)
        m = re.search(COUNT[lang], t.row(t.screen.lines - 2))
        tap.ok(m and int(m.group(3)) < total,
               "%s: a wider window needs fewer rows" % lang, t)
        t.resize(24, 80)
        t.send(ESC)
        home = "首页" if lang == "zh" else "Home"
        tap.ok(home in t.row(0) and not re.search(COUNT[lang], t.text()),
               "%s: Esc goes back, the row count goes with the help" % lang, t)
        t.send("q")
        t.wait_exit()
    finally:
        t.close()


def main():
    w = Workdir()
    try:
        test_help(w, "zh")
        test_help(w, "en")
    finally:
        w.cleanup()
    tap.done()


main()
