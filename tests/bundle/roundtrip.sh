#!/bin/sh
# Twenty townships export, the city imports: the city's report is the sum
# of the townships', and importing again changes nothing.
. "$KEPU_SRCDIR/tests/bundle/blib.sh"

city_new
n=0
seed=1
for id in $(townships); do
	seed=$((seed + 1))
	town "$id" "$seed" || { ok 1 "demo database for $id"; continue; }
	run kt "$id" export --out "$USB"
	[ "$rc" = 0 ] || diag "$id: $err"
	n=$((n + 1))
	kc township trust "$T/$id.key" >/dev/null 2>&1 || diag "trust $id failed"
done
is "$n" 20 "20 township databases made and exported"
is "$(ls "$USB" | wc -l)" 20 "20 bundle folders, nothing else"

# Every bundle passes sha256sum -c and kepu verify.
bad=0
for b in "$USB"/*; do
	(cd "$b" && sha256sum --quiet -c SHA256SUMS) || bad=$((bad + 1))
done
is "$bad" 0 "every bundle passes sha256sum -c"
run kc verify "$USB"/*
is_rc 0 "the city verifies every bundle"

run kc import --dry-run "$USB"/*
is_rc 0 "dry run of every bundle"
like "$out" "(dry run, nothing stored): new " "dry run says what would happen"
is "$(kc list training --csv | wc -l)" 1 "dry run stored nothing"

run kc import "$USB"/*
is_rc 0 "the city imports every bundle"
is "$(printf '%s\n' "$out" | grep -c ': new [1-9][0-9]*, updated 0, unchanged 0, stale 0, rejected 0$')" 20 \
	"each import says how many records were new"
run kc check
is_rc 0 "kepu check: the city's totals agree"

# The city's per-township report equals each township's own.
kc report --csv --year 2025 >"$T/city.csv"
diffs=0
for id in $(townships); do
	kt "$id" report --csv --year 2025 | grep ",$id," | cut -d, -f1-4,6 >"$T/t.csv"
	grep ",$id," "$T/city.csv" | cut -d, -f1-4,6 >"$T/c.csv"
	cmp -s "$T/t.csv" "$T/c.csv" || { diffs=$((diffs + 1)); diag "$id differs"; }
done
is "$diffs" 0 "city report per township equals the township reports"

# The city row of each indicator (and group) is the sum of the townships'
# rows.
sums=$(awk -F, 'NR > 1 && $2 != "all" { s[$3 "/" $12] += $6 }
	NR > 1 && $2 == "all" { a[$3 "/" $12] = $6 }
	END { bad = 0; for (i in a) if (a[i] + 0 != s[i] + 0 && i != "science_literacy_rate/") bad++; print bad }' "$T/city.csv")
is "$sums" 0 "city totals are the sums of the townships"
like "$(grep ',all,teacher_training,' "$T/city.csv")" "2025,all,teacher_training" "a city row exists"

# Importing everything again changes nothing and says so.  The city holds
# every township's records.
live=0
for id in $(townships); do
	c=$(checked kt "$id")
	live=$((live + ${c:-0}))
done
city_before "$live"
run kc import "$USB"/*
is_rc 0 "re-import succeeds"
is "$(printf '%s\n' "$out" | grep -c 'already imported')" 20 "each re-import says: already imported"
is "$(printf '%s\n' "$out" | grep -cE 'already imported at [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}; nothing changed')" 20 \
	"when, as the clerk's clock shows it"
city_unchanged "re-import"

# Python's csv module reads every file of a bundle.
b=$(ls -d "$USB"/anhai-* | head -n 1)
if /usr/bin/python3 -c 'import csv' 2>/dev/null; then
	/usr/bin/python3 - "$b" <<'PY'
import csv, glob, os, sys
n = 0
for p in sorted(glob.glob(os.path.join(sys.argv[1], "*.csv"))):
    with open(p, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, strict=True))
    w = len(rows[0])
    assert all(len(r) == w for r in rows), p
    n += 1
assert n >= 5, n
PY
	ok $? "python csv reads every file of a bundle"
else
	ok 0 "# SKIP no python3"
fi

# sqlite3 .import loads the CSV; its sum equals kepu's report.
if command -v sqlite3 >/dev/null 2>&1; then
	want=$(kt anhai report --csv --year 2025 | grep ',anhai,worker_training,' | cut -d, -f6)
	got=$(sqlite3 :memory: ".import --csv $b/training.csv t" \
		"select coalesce(sum(participants),0) from t where deleted='0' and category='worker' and date like '2025%';")
	is "$got" "${want:-no report row}" "sqlite3 .import: worker_training sum equals the report"
	want=$(kt anhai report --csv --year 2025 | grep ',anhai,agri_demo_entities,' | cut -d, -f6)
	got=$(sqlite3 :memory: ".import --csv $b/demo.csv t" \
		"select count(*) from t where deleted='0' and kind='entity' and date like '2025%';")
	is "$got" "${want:-no report row}" "sqlite3 .import: demo entity count equals the report"
else
	ok 0 "# SKIP no sqlite3"
fi

# The city writes the merged bundle for the next level up.
mkdir -p "$T/up"
run kc export --out "$T/up"
is_rc 0 "the city exports a merged bundle"
like "$out" "all-000001-" "named all-<seq>-<date>"
up=$(latest "$T/up")
(cd "$up" && sha256sum --quiet -c SHA256SUMS)
ok $? "the city bundle passes sha256sum -c"
total=0
for id in $(townships); do
	total=$((total + $(kt "$id" list training --csv --deleted | tail -n +2 | wc -l)))
done
is "$(grep '^rows:training,' "$up/manifest.csv" | cut -d, -f2 | tr -d '\r')" "$total" \
	"the city bundle holds every township's training records"

done_testing
