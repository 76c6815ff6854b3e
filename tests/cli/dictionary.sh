#!/bin/sh
# The data dictionary (kepu forms dictionary, a bundle's dictionary.csv):
# every column of every form with "required when <condition>" for a field
# asked only under a condition, its rule, range and choices; the
# townships; every plan's indicators with plan, period, comparator, pace
# and target (none for a tally); and every status word.
. "$KEPU_SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
# field FILE COLUMN CODE NAME: cell NAME of the dictionary row
# (FILE, COLUMN, CODE) of $T/dict.csv.
field() {
	"$PY" - "$T/dict.csv" "$@" <<'PY'
import csv, sys
path, f, col, code, name = sys.argv[1:6]
for r in csv.DictReader(open(path, encoding="utf-8-sig", newline="")):
    if (r["file"], r["column"], r["code"]) == (f, col, code):
        print(r[name])
        break
else:
    print("(no row)")
PY
}

new_db chendai
run k forms dictionary
is_rc 0 "kepu forms dictionary"
printf '%s\n' "$out" >"$T/dict.csv"
is "$(head -n 1 "$T/dict.csv")" \
	"file,column,type,required,code,label_zh,label_en,relevant,constraint,min,max,plan,period,comparator,pace,target,unit_zh,unit_en,measure,form,field,filter,group_by,note_zh,note_en" \
	"the header"

is "$(field training.csv farmers '' required)" "when category = 'rural_tech'" \
	"a field asked under a condition is required when it holds"
is "$(field training.csv farmers '' relevant)" "category = 'rural_tech'" "its condition"
is "$(field training.csv farmers '' constraint)" "farmers <= participants" "its rule"
is "$(field training.csv farmers '' min)" 0 "its range"
is "$(field training.csv participants '' required)" 1 "an unconditional required field: 1"
is "$(field training.csv trainer '' required)" 0 "an optional field: 0"
is "$(field training.csv title '' max)" 60 "a text field's width"
is "$(field training.csv hours '' type)" decimal "a field's type"
is "$(field training.csv id '' required)" 1 "the bookkeeping columns"
is "$(field funding.csv amount '' label_zh)" "金额（万元）" "the new forms are described"
is "$(field activity.csv type science_day note_en)" \
	"counted as national_science_day in grouped tallies" "a choice counted as another says so"
is "$(field activity.csv target_group new_residents label_zh)" "新居民（来晋务工人员）" "every choice"

is "$(grep -c '^\*,township,' "$T/dict.csv")" 20 "the 20 townships"
is "$(field '*' township qingyang label_zh)" "青阳街道" "with their names"
is "$(field '*' township qingyang note_zh)" "subdistrict" "and kind"
is "$(field progress.csv township all label_en)" "City total" "and the city's rows"

# Every (plan, indicator) of indicators.csv, with plan, period, comparator,
# pace and target as the file says.
"$PY" - "$T/dict.csv" "$KEPU_FORMS/indicators.csv" >"$T/ind.txt" <<'PY'
import csv, sys
d = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline=""))
     if r["file"] == "progress.csv" and r["column"] == "indicator"]
want = list(csv.DictReader(open(sys.argv[2], encoding="utf-8-sig", newline="")))
got = {(r["plan"], r["code"]): r for r in d}
bad = []
for w in want:
    g = got.get((w["plan"], w["id"]))
    pace = w["pace"] or ("linear" if w["target"] else "")
    if not g or (g["period"], g["comparator"], g["pace"], g["target"], g["group_by"]) != \
            (w["period"], w["comparator"], pace, w["target"], (w.get("group_by") or "")):
        bad.append(w["plan"] + "/" + w["id"])
print(len(d), len(want), " ".join(bad))
PY
n=$(grep -c . "$KEPU_FORMS/indicators.csv")
is "$(cat "$T/ind.txt")" "$((n - 1)) $((n - 1)) " "every plan's indicators, as indicators.csv defines them"
is "$(field progress.csv indicator activity_events target)" "" "a tally has no target"
is "$(field progress.csv indicator activity_events_by_type group_by)" type "a grouped tally names its field"

for s in ahead "on track" behind met "not met" "no quota" "not reported" tally; do
	isnt "$(field progress.csv status "$s" label_zh)" "(no row)" "the status word '$s'"
done
is "$(field progress.csv status tally label_zh)" "统计" "tally is 统计 for people"
is "$(field progress.csv status behind note_en)" "open: below 90% of the share due by today" \
	"and what a word means"

# the bundle's dictionary is the same
mkdir -p "$T/usb"
run k export --empty --out "$T/usb"
is_rc 0 "export"
b=$(ls -d "$T"/usb/chendai-* | head -n 1)
run k forms dictionary --excel
head -c 3 "$T/out" | od -An -tx1 | grep -q 'ef bb bf'
ok $? "--excel starts with a BOM"
cmp -s "$b/dictionary.csv" "$T/out"
ok $? "the bundle's dictionary.csv is kepu forms dictionary --excel"

done_testing
