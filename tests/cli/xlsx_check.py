"""Compare a workbook kepu wrote, as LibreOffice exports its sheets to CSV
(values, not as shown), with what `kepu report --csv` and `kepu list
--csv` say.  Used by tests/cli/xlsx-office.sh; prints what differs and
exits 1, or prints "same" and exits 0.

  xlsx_check.py progress KEPU.csv SHEET.csv   任务进度 against report --csv
  xlsx_check.py tallies KEPU.csv SHEET.csv    统计 (a township's list or a
                                              city's table)
  xlsx_check.py plan KEPU.csv SHEET.csv       规划评估 against report --plan --csv
  xlsx_check.py list KEPU.csv SHEET.csv FORMS FORM
                                              a 台账 sheet against list --csv,
                                              cell for cell
"""
import csv
import datetime
import os
import sys

HEAD_ROW = 2          # rows 0 and 1 are the title and the line under it


def rows_of(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def dicts_of(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def sheet(path):
    """The heading and the table rows of an exported sheet."""
    r = rows_of(path)
    return r[HEAD_ROW], [x for x in r[HEAD_ROW + 1:] if any(x)]


def num(s):
    """A number cell as exported: a percent cell keeps its % sign."""
    if s in ("", None):
        return 0.0
    return float(s[:-1]) / 100 if s.endswith("%") else float(s)


def close(a, b):
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def fail(msgs):
    for m in msgs[:20]:
        print(m)
    sys.exit(1 if msgs else 0)


def progress(kepu, sheet_csv):
    want = [r for r in dicts_of(kepu) if r["status"] != "tally"]
    head, rows = sheet(sheet_csv)
    bad = []
    if len(rows) != len(want):
        bad.append("rows: sheet %d, report %d" % (len(rows), len(want)))
    for col, name in ((3, "target"), (4, "achieved")):
        a = sum(num(r[col]) for r in rows)
        b = sum(num(r[name]) for r in want)
        if not close(a, b):
            bad.append("sum of %s: sheet %g, report %g" % (name, a, b))
    # each row's percent is its achieved over its target
    for r in rows:
        if r[3] and num(r[3]) > 0 and not close(num(r[5]), num(r[4]) / num(r[3])):
            bad.append("percent of %s / %s: %s" % (r[0], r[1], r[5]))
    fail(bad) if bad else print("same")


def tallies(kepu, sheet_csv):
    want = [r for r in dicts_of(kepu) if r["status"] == "tally"]
    head, rows = sheet(sheet_csv)
    bad = []
    if len(head) > 5:        # a city: the city's total, then a column per township
        city = sum(num(r["achieved"]) for r in want if r["township"] == "all")
        towns = sum(num(r["achieved"]) for r in want if r["township"] != "all")
        a = sum(num(r[3]) for r in rows)
        b = sum(num(x) for r in rows for x in r[4:])
        if not close(a, city):
            bad.append("city total: sheet %g, report %g" % (a, city))
        if not close(b, towns):
            bad.append("townships: sheet %g, report %g" % (b, towns))
        for r in rows:
            if not close(num(r[3]), sum(num(x) for x in r[4:])):
                bad.append("row %s / %s: the townships do not add up" % (r[0], r[1]))
    else:
        a = sum(num(r[4]) for r in rows)
        b = sum(num(r["achieved"]) for r in want)
        if not close(a, b):
            bad.append("sum: sheet %g, report %g" % (a, b))
        grouped = {r["id"] for r in forms_csv(os.environ["KEPU_FORMS"], "indicators.csv")
                   if r.get("group_by")}
        shown = [r for r in want if r["indicator"] not in grouped or num(r["achieved"])]
        if len(rows) != len(shown):
            bad.append("rows: %d, want %d: every plain tally and every group not 0"
                       % (len(rows), len(shown)))
    fail(bad) if bad else print("same")


def plan(kepu, sheet_csv):
    want = [r for r in dicts_of(kepu) if r["year"] == "total"]
    head, rows = sheet(sheet_csv)
    years = [h for h in head if h.isdigit()]
    at = 3 + len(years)
    bad = []
    judged = [r for r in want if r["status"] != "tally"]
    got = [r for r in rows if r[at + 4] not in ("统计", "tally")]
    if len(got) != len(judged):
        bad.append("rows with a verdict: sheet %d, report %d" % (len(got), len(judged)))
    for col, name in ((at, "target"), (at + 1, "achieved")):
        a = sum(num(r[col]) for r in got)
        b = sum(num(r[name]) for r in judged)
        if not close(a, b):
            bad.append("sum of %s: sheet %g, report %g" % (name, a, b))
    fail(bad) if bad else print("same")


def forms_csv(forms, name):
    with open(os.path.join(forms, name), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def utc(cell):
    """A sheet's date and time (local time, the test runs in UTC) as list
    --csv writes it."""
    if not cell:
        return ""
    try:
        d = datetime.datetime.strptime(cell, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return "(not a time: %r)" % cell
    return d.strftime("%Y-%m-%dT%H:%M:%SZ")


def listing(kepu, sheet_csv, forms, form):
    fields = forms_csv(forms, form + ".csv")
    labels = {}
    for c in forms_csv(forms, "choices.csv"):
        labels.setdefault(c["list"], {})[c["label_zh"]] = c["code"]
    towns = {t["name_zh"]: t["id"] for t in forms_csv(forms, "townships.csv")}
    head, rows = sheet(sheet_csv)
    want = {r["id"]: r for r in dicts_of(kepu)}
    bad = []
    city = head[2] == "镇（街道）"
    names = ["no", "id"] + (["township"] if city else []) + [f["name"] for f in fields] + \
        ["files", "created_by", "created_at", "changed_by", "changed_at", "rev"]
    if len(head) != len(names):
        bad.append("columns: %d, want %d" % (len(head), len(names)))
    if len(rows) != len(want):
        bad.append("rows: sheet %d, list --csv %d" % (len(rows), len(want)))
    kinds = {f["name"]: f for f in fields}
    dates = []
    for n, r in enumerate(rows, 1):
        got = dict(zip(names, r))
        w = want.get(got["id"])
        if not w:
            bad.append("row %d: id %r is not in list --csv" % (n, got["id"]))
            continue
        if got["no"] != str(n):
            bad.append("row %d numbered %r" % (n, got["no"]))
        for name, cell in got.items():
            f = kinds.get(name)
            if name in ("no", "files"):
                continue
            if name in ("created_at", "changed_at"):
                cell = utc(cell)
            elif name == "township":
                cell = towns.get(cell, cell)
            elif f and f["type"] == "choice" and cell:
                cell = labels[f["choices"]].get(cell, "(no such label %r)" % cell)
            if cell != (w.get(name) or ""):
                bad.append("%s %s: sheet %r, list --csv %r" % (got["id"], name, cell, w.get(name)))
        files = os.environ.get("KEPU_CHECK_FILES", "")
        want_files = files.split("=", 1)[1] if files.startswith(got["id"] + "=") else ""
        if got["files"] != want_files.replace("|", "\n"):
            bad.append("%s: attachments %r, want %r" % (got["id"], got["files"], want_files))
        dates.append((got.get("date", ""), got["id"]))
    if dates != sorted(dates):
        bad.append("rows are not oldest first")
    fail(bad) if bad else print("same")


def main():
    what = sys.argv[1]
    if what == "progress":
        progress(*sys.argv[2:4])
    elif what == "tallies":
        tallies(*sys.argv[2:4])
    elif what == "plan":
        plan(*sys.argv[2:4])
    elif what == "list":
        listing(*sys.argv[2:6])
    else:
        sys.exit("unknown check " + what)


main()
