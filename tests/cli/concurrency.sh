#!/bin/sh
# Several clerks at once: four writers adding files and four adding one
# record at a time, while a reader lists; then every record is there and
# the totals agree.
. "$KEPU_SRCDIR/tests/lib.sh"

new_db chendai

gen() {   # gen WRITER N
	awk -v w="$1" -v n="$2" 'BEGIN {
		print "date,category,title,participants"
		for (i = 1; i <= n; i++)
			printf "2025-%02d-%02d,worker,写入者%d第%d期,%d\n", i % 6 + 1, i % 28 + 1, w, i, i % 9 + 1
	}'
}
for w in 1 2 3 4; do
	gen "$w" 200 >"$T/w$w.csv"
done
want=0
for w in 1 2 3 4; do
	want=$((want + $(awk -F, 'NR > 1 { s += $4 } END { print s }' "$T/w$w.csv")))
done

pids=
for w in 1 2 3 4; do
	k add training --from-csv "$T/w$w.csv" >"$T/ids$w" 2>"$T/err$w" &
	pids="$pids $!"
done
for w in 5 6 7 8; do
	(
		i=1
		while [ $i -le 10 ]; do
			k add training --set date=2025-06-0$((i % 9 + 1)) --set category=worker \
				--set "title=逐条$w-$i" --set participants=1 >>"$T/ids$w" 2>>"$T/err$w" ||
				echo "add $w-$i failed" >>"$T/fail"
			i=$((i + 1))
		done
	) &
	pids="$pids $!"
done
k list --limit 5 >/dev/null 2>"$T/readerr" &
pids="$pids $!"
fails=0
for p in $pids; do
	wait "$p" || fails=$((fails + 1))
done
is "$fails" 0 "every writer and the reader exit 0"
test ! -s "$T/fail"
ok $? "every single add succeeded"
[ -s "$T/fail" ] && diag "$(cat "$T/fail" "$T"/err*)"
is "$(cat "$T"/ids* | sort -u | wc -l)" 840 "840 distinct ids printed"
is "$(count training)" 840 "840 records stored"
run k check
is_rc 0 "check: totals agree after concurrent writes"
like "$out" "OK: 840 records" "check counts them"
is "$(k report --csv | awk -F, '$3 == "worker_training" { print $6 }')" $((want + 40)) \
	"worker_training is the sum of every row"

done_testing
