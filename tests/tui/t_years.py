"""The year the screens show: a ledger made in 2024 shows 2025 on
2025-01-02, [ ] and y change the year (the header and the numbers follow
`kepu report --year Y`), the plan evaluation shows `kepu report --plan`'s
rows (a township, the city and its townships), F4 fills 2026-12-01 on that
day and the 2026 record saves, and the home screen at 80x24 compared whole,
open and provisional, then finished."""
import os
import pwd
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import ENTER, F, TAB, Tap, Term, Workdir, cli, cli_csv, ctrl

tap = Tap()
PGDN = "\x1b[6~"


def day(d):
    return {"KEPU_TODAY": d}


def csv_on(db, today, *args):
    rc, out, err = cli(db, *args, env=day(today))
    if rc != 0:
        raise RuntimeError("kepu %s: %s" % (" ".join(args), err))
    import csv
    import io
    return list(csv.DictReader(io.StringIO(out)))


def must(db, today, *args, stdin=None):
    rc, out, err = cli(db, *args, env=day(today), stdin=stdin)
    if rc != 0:
        raise RuntimeError("kepu %s: %s" % (" ".join(args), err))
    return out


def quotas(db, today, rows):
    path = os.path.join(os.path.dirname(db), "q.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("year,township,indicator,target\n" + "".join(
            "%s\n" % r for r in rows))
    must(db, today, "quota", "import", path)


def screen_pairs(t):
    """achieved/target of each indicator row on the township home screen."""
    pairs = []
    for line in t.text().splitlines()[3:13]:
        m = re.search(r"\s(\S+)/(\S+)\s+(\S+%|-)\s", line)
        if m:
            pairs.append((m.group(1), m.group(2)))
    return pairs


def want_pairs(report):
    """The rows with a verdict: tallies are counted apart (统计)."""
    return [(r["achieved"], r["target"] or "-") for r in report
            if r["status"] != "tally"]


def test_2024_ledger():
    d = tempfile.mkdtemp(prefix="kepu-tui-")
    db = os.path.join(d, "t.kepu")
    try:
        must(db, "2024-05-01", "init", "--township", "anhai", "--year", "2024")
        must(db, "2024-05-01", "add", "training", "--set", "date=2024-03-05",
             "--set", "category=rural_tech", "--set", "title=茶叶种植技术培训",
             "--set", "participants=45", "--set", "farmers=30")
        quotas(db, "2024-05-01", ["2024,anhai,rural_tech_training,40",
                                  "2024,anhai,rural_tech_farmers,31"])
        t = Term(db, lang="en", env=day("2025-01-02"))
        try:
            t.home("en")
            tap.ok("| 2025 | open | plan 2021-2025 |" in t.row(0),
                   "2025-01-02: a ledger made in 2024 shows 2025, open", t)
            tap.is_eq(screen_pairs(t),
                      want_pairs(csv_on(db, "2025-01-02", "report", "--csv")),
                      "the numbers are kepu report's for 2025", t)
            t.send("[")
            tap.ok("| 2024 | finished | plan 2021-2025 |" in t.row(0),
                   "[ shows 2024, finished", t)
            r2024 = csv_on(db, "2025-01-02", "report", "--year", "2024", "--csv")
            tap.is_eq(screen_pairs(t), want_pairs(r2024),
                      "the numbers are kepu report --year 2024's", t)
            rows = {r["indicator"]: r["status"] for r in r2024}
            tap.is_eq((rows["rural_tech_training"], rows["rural_tech_farmers"]),
                      ("met", "not met"), "(the report: 45 of 40 met, 30 of 31 not)")
            lines = t.text().splitlines()
            tap.ok(any("45/40" in l and l.rstrip().endswith(" met") for l in lines) and
                   any("30/31" in l and l.rstrip().endswith("not met") for l in lines),
                   "the screen says met and not met", t)
            t.send("]")
            tap.ok("| 2025 | open |" in t.row(0), "] goes back to 2025", t)
            t.send("]")
            tap.ok("| 2025 | open |" in t.row(0) and
                   "from 2021 to 2025" in t.row(22),
                   "] stops at this year and says why", t)
            t.send("y")
            tap.ok(t.wait_for("Show the year (now 2025):"),
                   "y asks for the year, saying the one shown", t)
            t.type("2022")
            t.send(ENTER)
            tap.ok("| 2022 | finished |" in t.row(0), "y 2022 shows 2022", t)
            tap.is_eq(screen_pairs(t), want_pairs(
                csv_on(db, "2025-01-02", "report", "--year", "2022", "--csv")),
                "with kepu report --year 2022's numbers", t)
            t.send("y")
            t.type("2019")
            t.send(ENTER)
            tap.ok("| 2022 |" in t.row(0) and "from 2021 to 2025" in t.row(22),
                   "y 2019 (before the first plan) is refused", t)
            t.send("q")
            t.wait_exit()
        finally:
            t.close()
    finally:
        shutil.rmtree(d, ignore_errors=True)


# The plan evaluation's columns at 80x24: a label, five years of 11 cells,
# the total from column 65 (cells, not characters: a Chinese character
# takes two).
def block_cells(t, y):
    cell = [t.screen.buffer[y][x].data for x in range(t.screen.columns)]
    cells = ["".join(cell[10 + 11 * k:10 + 11 * (k + 1)]).strip()
             for k in range(5)]
    return cells + ["".join(cell[65:]).strip()]


def plan_blocks(t):
    """{indicator number: (targets, achieved, statuses)} of the blocks on
    screen; the total's achieved without its percent."""
    lines = t.text().splitlines()
    out = {}
    for i, line in enumerate(lines):
        m = re.match(r" #(\d+) ", line)
        if m and i + 3 < len(lines):
            tg, ac, st = (block_cells(t, i + k) for k in (1, 2, 3))
            ac[5] = re.match(r"[-\d.]*", ac[5]).group(0)
            out[int(m.group(1))] = (tg, ac, st)
    return out


def all_blocks(t):
    seen = {}
    for _ in range(5):
        seen.update(plan_blocks(t))
        if "-10 of 10" in t.text():
            break
        t.send(PGDN)
    return seen


ZH = {"ahead": "超前", "on track": "正常", "behind": "落后", "met": "达标",
      "not met": "未达标", "no quota": "未下达任务", "not reported": "未报送",
      "-": "-"}


def want_blocks(rows, town, lang="en"):
    """The same from kepu report --plan --csv, for one township (or all),
    the statuses as the screen words them."""
    mine = [r for r in rows if r["township"] == town and r["status"] != "tally"]
    inds = []
    for r in mine:
        if r["indicator"] not in inds:
            inds.append(r["indicator"])
    out = {}
    for n, ind in enumerate(inds, 1):
        rs = [r for r in mine if r["indicator"] == ind]
        tg = [r["target"] or "-" for r in rs]
        ac = [r["achieved"] for r in rs]
        st = [("-" if not r["target"] and r["year"] != "total" else r["status"])
              for r in rs]
        if lang == "zh":
            st = [ZH[s] for s in st]
        out[n] = (tg, ac, st)
    return out


def demo_years(db, where, years, today):
    for y in years:
        must(db, today, "demo", *where, "--year", str(y), "--force")


def test_plan_township():
    w = Workdir(quotas=False)
    try:
        demo_years(w.db, [], range(2021, 2027), "2026-03-01")
        plan = csv_on(w.db, "2026-03-01", "report", "--plan", "2021-2025", "--csv")
        t = Term(w.db, lang="en", env=day("2026-03-01"))
        try:
            t.home("en")
            tap.ok("| 2026 | open, provisional | plan 2026-2030 |" in t.row(0),
                   "2026-03-01: 2026, open and provisional", t)
            t.send("[")
            t.send("p")
            tap.ok("Plan evaluation" in t.row(0) and "| 2025 | finished |" in t.row(0),
                   "[ then p: the plan evaluation of 2025's plan", t)
            tap.ok("Anhai Town   plan 2021-2025 finished" in t.text(),
                   "it says whose rows and that the plan is over", t)
            tap.is_eq(re.findall(r"\S+", t.row(3)),
                      ["2021", "2022", "2023", "2024", "2025", "Total"],
                      "the years and the total head the columns", t)
            met = [r["years_met"] for r in plan if r["township"] == "anhai"
                   and r["indicator"] == "teacher_training" and r["year"] == "total"]
            tap.ok(re.search(r"#1 Science teacher.*\s%s/5 years met$" % met[0],
                             t.row(4).rstrip()), "the first block says how many years "
                   "were met (%s)" % met[0], t)
            seen = all_blocks(t)
            want = want_blocks(plan, "anhai")
            tap.is_eq(sorted(seen), sorted(want), "every indicator is shown", t)
            bad = [(n, seen[n], want[n]) for n in want if seen.get(n) != want[n]]
            tap.is_eq(bad, [], "every target, achieved and status equals "
                      "kepu report --plan 2021-2025 --csv, the totals too")
            t.send("[")
            tap.ok("first plan" in t.row(22), "[ on the first plan says so", t)
            t.send("]")
            tap.ok("plan 2026-2030 open, provisional" in t.text() and
                   "| 2026 |" in t.row(0),
                   "] shows the 2026-2030 plan, open and provisional", t)
            plan26 = csv_on(w.db, "2026-03-01", "report", "--plan", "2026-2030", "--csv")
            seen = plan_blocks(t)
            want = want_blocks(plan26, "anhai")
            tap.ok(seen and all(seen[n] == want[n] for n in seen),
                   "with kepu report --plan 2026-2030's rows", t)
            t.send("q")
            tap.ok("Home" in t.row(0) and "| 2026 |" in t.row(0),
                   "q goes back home, on the year the evaluation ended on", t)
            t.send("q")
            t.wait_exit()
        finally:
            t.close()
    finally:
        w.cleanup()


def test_plan_city():
    w = Workdir(township=None, quotas=False)
    try:
        demo_years(w.db, ["--city"], range(2021, 2026), "2025-12-31")
        plan = csv_on(w.db, "2026-03-01", "report", "--plan", "2021-2025", "--csv")
        t = Term(w.db, lang="zh", env=day("2026-03-01"))
        try:
            t.home()
            t.send("[")
            t.send("p")
            tap.ok("全市合计   2021-2025 规划已结束   t 下一个（1/21）" in t.text(),
                   "city: the city rows first, t for the townships", t)
            seen = plan_blocks(t)
            want = want_blocks(plan, "all", "zh")
            tap.ok(len(seen) == 4 and all(seen[n] == want[n] for n in seen),
                   "city rows equal kepu report --plan --csv", t)
            tap.ok("达标 %s/5 年" % [r["years_met"] for r in plan
                                    if r["township"] == "all" and r["year"] == "total"][0]
                   in t.text(), "each block says how many years were met", t)
            t.send("t")
            tap.ok("青阳街道   2021-2025 规划已结束   t 下一个（2/21）" in t.text(),
                   "t: the first township", t)
            seen = all_blocks(t)
            want = want_blocks(plan, "qingyang", "zh")
            bad = [n for n in want if seen.get(n) != want[n]]
            tap.ok(len(seen) == 10 and not bad,
                   "its rows, scrolled through, equal kepu report --plan --csv", t)
            t.send("T")
            t.send("T")
            tap.ok("t 下一个（21/21）" in t.text(), "T goes backwards, round to the last", t)
            t.send("q")
            t.send("q")
            t.wait_exit()
        finally:
            t.close()
    finally:
        w.cleanup()


def test_f4_2026():
    w = Workdir()
    try:
        t = Term(w.db, lang="zh", env=day("2026-12-01"))
        try:
            t.home()
            tap.ok("| 2026 | 进行中（暂定） | 规划 2026-2030 |" in t.row(0),
                   "2026-12-01: the header says 2026, open, provisional", t)
            t.send("1")
            tap.ok(t.wait_for("新建培训"), "1 opens a new training", t)
            t.send(F[4])
            tap.ok("2026-12-01" in t.text(), "F4 on the date fills 2026-12-01", t)
            t.send(TAB + TAB)
            t.send("worker" + ENTER)
            t.send("二〇二六年职工培训".encode())
            t.send(TAB + TAB)
            t.type("职工之家")
            t.send(TAB)
            t.type("12")
            t.send(TAB)
            t.send(F[2])
            tap.ok(t.wait_for("已保存"), "F2 saves the 2026 record", t)
            rows = [r for r in w.records() if r["title"] == "二〇二六年职工培训"]
            tap.is_eq([(r["date"], r["participants"]) for r in rows],
                      [("2026-12-01", "12")], "it is stored, dated 2026-12-01")
            t.send("q")
            t.wait_exit()
        finally:
            t.close()
        rc, out, err = cli(w.db, "add", "training", "--set", "date=2026-11-30",
                           "--set", "category=worker", "--set", "title=十一月职工培训",
                           "--set", "participants=8", env=day("2026-12-01"))
        tap.is_eq(rc, 0, "the command line adds a 2026 record too")
        r = [x for x in csv_on(w.db, "2026-12-01", "report", "--csv")
             if x["indicator"] == "worker_training"]
        tap.is_eq([(x["year"], x["achieved"], x["plan_status"]) for x in r],
                  [("2026", "20", "provisional")],
                  "both count in 2026, provisional")
    finally:
        w.cleanup()


# ---- the home screen, whole -------------------------------------------------

def title(left, right):
    """The title line as kepu writes it: without the account when the
    line would not fit."""
    user = pwd.getpwuid(os.getuid()).pw_name
    full = " %s | 账号 %s | %s" % (left, user, right)
    return full if wide(full) <= 80 else " %s | %s" % (left, right)


def wide(s):
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


HOME_2026 = """\
{title}

 指标                             完成/任务     % 进度（| 按日应达） 状态
 科学及相关学科教师（辅导员）          0/15    0% ...|.............. 落后
 农村实用技术培训                    45/129   35% ###|##............ 超前
 其中农民                             30/78   38% ###|###........... 超前
 培训农技员                             0/6    0% ...|.............. 落后
 培育农业示范主体                      0/11    0% |................. 正常
 遴选建设农业科技示范基地               0/-     - .................. 未下达任务
 培训各类劳动者                       0/200    0% ...|.............. 落后
 培养高技能人才                        0/25    0% ...|.............. 落后
 领导干部和公务员线上线下培训         0/450    0% .|................ 落后
 具备科学素质的公民比例                 0/-     - .................. 未下达任务

 最近录入（共 2 条记录）
 2026-02-10 培训       茶叶种植技术培训                          45 {user}
 2025-05-06 培训       科学课教师培训                            15 {user}






F1/^G 帮助  1-9 新建  r/F6 记录  b/F7 U盘  i 指标  y 年度  p 规划  q/F10 退出
"""

# The year before, over: its verdicts, the due mark at the end of the bar.
HOME_2025 = """\
{title}
 2025 年度已结束，尚未关闭（按 c 关闭）
 指标                             完成/任务     % 进度               状态
 科学及相关学科教师（辅导员）         15/15  100% #################| 达标
 农村实用技术培训                     0/129    0% .................| 未达标
 其中农民                               0/-     - .................. 未下达任务
 培训农技员                             0/-     - .................. 未下达任务
 培育农业示范主体                       0/-     - .................. 未下达任务
 遴选建设农业科技示范基地               0/1    0% .................| 未达标
 培训各类劳动者                         0/-     - .................. 未下达任务
 培养高技能人才                         0/-     - .................. 未下达任务
 领导干部和公务员线上线下培训           0/-     - .................. 未下达任务
 具备科学素质的公民比例                 0/-     - .................. 未下达任务

 最近录入（共 2 条记录）
 2026-02-10 培训       茶叶种植技术培训                          45 {user}
 2025-05-06 培训       科学课教师培训                            15 {user}






F1/^G 帮助  1-9 新建  r/F6 记录  b/F7 U盘  i 指标  y 年度  p 规划  q/F10 退出
"""


def compare(t, want, name):
    got = "\n".join(line.rstrip() for line in t.screen.display) + "\n"
    want = "\n".join(line.rstrip() for line in want.splitlines()) + "\n"
    if not tap.ok(got == want, name):
        for g, w_ in zip(got.splitlines(), want.splitlines()):
            if g != w_:
                tap.diag("got:  |%s|\nwant: |%s|" % (g, w_))


def test_whole_home():
    w = Workdir(quotas=False)
    try:
        quotas(w.db, "2026-03-02", ["2026,anhai,teacher_training,15",
                                    "2026,anhai,rural_tech_training,129",
                                    "2026,anhai,rural_tech_farmers,78",
                                    "2026,anhai,agri_technician_training,6",
                                    "2026,anhai,agri_demo_entities,11",
                                    "2026,anhai,worker_training,200",
                                    "2026,anhai,high_skill_talent,25",
                                    "2026-2030,anhai,official_training,450",
                                    "2025,anhai,teacher_training,15",
                                    "2025,anhai,rural_tech_training,129",
                                    "2025,anhai,agri_demo_bases,1"])
        must(w.db, "2026-03-02", "add", "training", "--set", "date=2025-05-06",
             "--set", "category=teacher", "--set", "title=科学课教师培训",
             "--set", "participants=15")
        must(w.db, "2026-03-02", "add", "training", "--set", "date=2026-02-10",
             "--set", "category=rural_tech", "--set", "title=茶叶种植技术培训",
             "--set", "participants=45", "--set", "farmers=30")
        user = pwd.getpwuid(os.getuid()).pw_name[:11]   # its column
        t = Term(w.db, lang="zh", env=day("2026-03-02"))
        try:
            t.home()
            compare(t, HOME_2026.format(
                title=title("科普台账 | 安海镇 | 2026 | 进行中（暂定） | 规划 2026-2030",
                            "首页"), user=user),
                "80x24, 2026-03-02: the home screen, whole, open and provisional")
            t.send("[")
            compare(t, HOME_2025.format(
                title=title("科普台账 | 安海镇 | 2025 | 已结束 | 规划 2021-2025",
                            "首页"), user=user),
                "[: 2025, whole, finished with its verdicts")
            t.send("q")
            t.wait_exit()
        finally:
            t.close()
    finally:
        w.cleanup()


def main():
    test_2024_ledger()
    test_plan_township()
    test_plan_city()
    test_f4_2026()
    test_whole_home()
    tap.done()


main()
