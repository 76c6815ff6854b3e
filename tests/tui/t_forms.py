"""A township takes the city's forms bundle on the USB screen: the dry run
says which version the forms move to and what it adds, y takes it, and the
same bundle again changes nothing."""
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import ENTER, ESC, SRCDIR, Tap, Term, Workdir, cli

tap = Tap()


def forms_version(db):
    rc, out, err = cli(db, "forms", "show")
    return out.splitlines()[0] if rc == 0 and out else err


def main():
    town = Workdir()
    city = Workdir(township=None, quotas=False)
    try:
        shipped = os.path.join(SRCDIR, "forms")
        forms = os.path.join(city.dir, "forms")
        shutil.copytree(shipped, forms)
        with open(os.path.join(forms, "formset.csv"), encoding="utf-8-sig") as f:
            text = f.read()
        old = int([l.split(",")[1] for l in text.splitlines()
                   if l.startswith("version,")][0])
        new = old + 1
        with open(os.path.join(forms, "formset.csv"), "w", encoding="utf-8") as f:
            f.write(text.replace("version,%d" % old, "version,%d" % new))
        with open(os.path.join(forms, "training.csv"), "a", encoding="utf-8") as f:
            f.write("funding_source,text,经费来源,Funding source,,,,40,,,,,,,,,\n")
        usb = os.path.join(city.dir, "usb")
        os.mkdir(usb)
        key = os.path.join(city.dir, "city.key")
        steps = [cli(city.db, "forms", "update", forms),
                 cli(city.db, "forms", "export", "--out", usb),
                 cli(city.db, "key", "export", "--out", key),
                 cli(town.db, "township", "trust", key)]
        tap.ok(all(s[0] == 0 for s in steps),
               "the city updates and exports its forms; the township trusts it: "
               + "".join(s[2] for s in steps))
        bundle = os.path.join(usb, os.listdir(usb)[0])
        t = Term(town.db, lang="en")
        try:
            t.home("en")
            t.send("b")
            t.wait_for("USB bundles")
            t.send("i")
            t.wait_for("Bundle folder")
            t.send("\x15" + bundle + ENTER)
            tap.ok(t.wait_for("Forms bundle %s" % os.path.basename(bundle)),
                   "the dry run names a forms bundle", t)
            tap.ok(t.wait_for("Dry run: the forms can move from version %d to "
                              "version %d: 1 new field" % (old, new)),
                   "and what it would change", t)
            tap.ok("new 0" not in t.text(), "not as rows of records", t)
            tap.ok(t.wait_for("Import it?"), "it asks before importing", t)
            tap.ok(("Forms version %d" % old) in forms_version(town.db),
                   "nothing stored before y")
            t.send("y")
            tap.ok(t.wait_for("Imported."), "y imports", t)
            tap.ok(t.wait_for("The forms moved from version %d to version %d"
                              % (old, new)), "and says so", t)
            tap.ok(("Forms version %d" % new) in forms_version(town.db),
                   "the township has the new version")
            t.send("i")
            t.wait_for("Bundle folder")
            t.send(ENTER)
            tap.ok(t.wait_for("imported before"),
                   "the same bundle again: imported before", t)
            t.send("n")
            t.send(ESC)
            t.send("q")
            t.wait_exit()
        finally:
            t.close()
        rc, out, err = cli(town.db, "add", "training", "--set", "date=2025-05-02",
                           "--set", "category=worker", "--set", "title=新字段",
                           "--set", "participants=3", "--set", "funding_source=市财政")
        tap.is_eq(rc, 0, "the new field takes a value: " + err)
    finally:
        town.cleanup()
        city.cleanup()
    tap.done()


main()
