"""The USB screen: import lists the bundles found in the folder given and
the clerk picks one (a folder without any says so, with no preview of
junk); the folder then offered for export is the stick's, never the
bundle just imported (the core refuses to write inside a bundle anyway);
f exports everything again; the screen tells a clerk on PuTTY or Xshell
how the bundle reaches the stick in the Windows PC."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import ENTER, Tap, Term, Workdir, cli

tap = Tap()


def flat(s):
    return re.sub(r"\s+", "", s)


def shows(t, text):
    return flat(text) in flat("".join(t.screen.display))


def setup():
    """A township (anhai) trusting a city that exported its quotas, and
    a stick holding that quota bundle and one of the township's own."""
    town = Workdir(quotas=False)
    city = Workdir(township=None)
    usb = os.path.join(town.dir, "usb")
    os.mkdir(usb)
    key = os.path.join(city.dir, "city.key")
    for db, args in ((city.db, ("key", "export", "--out", key)),
                     (town.db, ("township", "trust", key)),
                     (city.db, ("quota", "export", "--out", usb, "--township", "anhai")),
                     (town.db, ("add", "training", "--set", "date=2025-03-05",
                                "--set", "category=worker", "--set", "title=电工培训",
                                "--set", "participants=20")),
                     (town.db, ("export", "--out", usb))):
        rc, out, err = cli(db, *args)
        if rc != 0:
            raise RuntimeError("kepu %s: %s" % (" ".join(args), err))
    names = sorted(os.listdir(usb))
    quota = [n for n in names if n.startswith("quota-")][0]
    return town, city, usb, quota


def prompt_path(t, path):
    """Replace what the folder prompt offers with path, and Enter."""
    t.send("\x15")                            # ^U clears the line
    t.send(path + ENTER)


def test_usb(town, usb, quota):
    t = Term(town.db, lang="zh")
    try:
        t.home("zh")
        t.send("b")
        tap.ok(t.wait_for("| U盘数据包"), "b opens the USB screen", t)
        tap.ok(shows(t, "WinSCP") and shows(t, "用 PuTTY 或 Xshell 远程登录时"),
               "it tells a remote clerk how the bundle reaches the stick", t)
        t.send("i")
        tap.ok(t.wait_for("数据包所在的文件夹"), "i asks for the folder", t)
        prompt_path(t, usb)
        tap.ok(t.wait_for("选择要导入的数据包") and quota in t.text() and
               "anhai-000001" in t.text(), "the bundles in it are listed", t)
        t.send(ENTER)                         # the newest name first: quota
        tap.ok(t.wait_for("预览：") and shows(t, "任务数据包 " + quota),
               "the one picked is previewed", t)
        t.send("y")
        tap.ok(t.wait_for("已导入"), "and imported", t)
        rc, out, _ = cli(town.db, "quota", "show", "--csv", "--year", "2025")
        tap.ok(rc == 0 and len(out.strip().splitlines()) > 1, "the quotas are stored")
        t.send("e")
        tap.ok(t.wait_for("导出到文件夹：") and t.row(22).rstrip().endswith(usb),
               "export offers the stick's folder, not the bundle: %r" % t.row(22), t)
        t.send("\x1b")
        # The bundle folder itself: previewed at once, the stick offered next.
        t.send("i")
        prompt_path(t, os.path.join(usb, quota))
        tap.ok(t.wait_for("预览：") and "以前导入过" in t.text(),
               "a bundle folder given itself is previewed directly", t)
        t.send("n")
        t.send("e")
        tap.ok(t.wait_for("导出到文件夹：") and t.row(22).rstrip().endswith(usb),
               "and the stick's folder is offered for the export", t)
        t.send(ENTER)
        tap.ok(t.wait_for("已导出") or t.wait_for("没有新的变更"),
               "Enter exports beside it", t)
        rc, _, err = cli(town.db, "verify", os.path.join(usb, quota))
        tap.is_eq(rc, 0, "the quota bundle still verifies: " + err.strip())
        # Typed into the bundle anyway: the core refuses.
        t.send("f")
        t.send("y")
        prompt_path(t, os.path.join(usb, quota))
        tap.ok(t.wait_for("导出失败") and shows(t, "不能写进别的数据包"),
               "an export into a bundle is refused, saying why", t)
        t.send("f")
        t.send("y")
        prompt_path(t, usb)
        tap.ok(t.wait_for("已导出") and shows(t, "（完整）"),
               "f exports everything again", t)
        # A folder without bundles.
        empty = os.path.join(town.dir, "photos")
        os.mkdir(empty)
        t.send("i")
        prompt_path(t, empty)
        tap.ok(t.wait_for("里没有数据包") and "预览：" not in t.text(),
               "a folder without bundles says so, no preview", t)
        # A path longer than the row: it scrolls, and is taken whole.
        deep = os.path.join(town.dir, "报送", "二〇二五年度", "安海镇科普台账",
                            "第四季度数据包（给市科协）")
        os.makedirs(deep)
        t.send("f")
        t.send("y")
        prompt_path(t, deep)
        tap.ok(t.wait_for("已导出"), "a folder longer than the row is used whole", t)
        tap.ok(any(n.startswith("anhai-") for n in os.listdir(deep)),
               "the bundle is in it: %r" % os.listdir(deep))
        t.send("e")
        tap.ok(t.wait_for("导出到文件夹：") and t.row(22).rstrip().endswith("（给市科协）")
               and "<" in t.row(22), "offered again, its end shown after <: %r"
               % t.row(22), t)
        t.send("\x1b")
    finally:
        t.close()


def main():
    town, city, usb, quota = setup()
    try:
        test_usb(town, usb, quota)
    finally:
        town.cleanup()
        city.cleanup()
    tap.done()


main()
