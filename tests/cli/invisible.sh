#!/bin/sh
# Text that reads differently from what it holds is refused: bidi
# overrides and isolates, zero-width characters, separators (text.h,
# text_check_storable).  "x<U+202E>gpj.exe" would show as "xexe.jpg".
. "$KEPU_SRCDIR/tests/lib.sh"

new_db chendai
rlo=$(printf 'x\342\200\256gpj.exe')

add_title() {
	run k add training --set date=2025-03-05 --set category=worker \
		--set "title=$1" --set participants=3
}

add_title "$rlo"
is_rc 65 "a title with RIGHT-TO-LEFT OVERRIDE: 65"
like "$err" "U+202E" "the message names U+202E"
like "$err" "(character 2)" "and where it is"
like "$err" "invisible formatting character" "and what it is"
like "$err" "“Title”" "and the field"
unlike "$err" "$rlo" "the message does not echo the override itself"
is "$(count training)" 0 "nothing stored"

KEPU_LANG=zh add_title "$rlo"
is_rc 65 "in Chinese: 65"
like "$err" "第 2 个字符是看不见的格式字符 U+202E" "in Chinese: names U+202E"

for c in '\342\200\252' '\342\201\246' '\342\200\213' '\342\200\217' \
	'\342\200\250' '\357\273\277' '\330\234' '\341\240\216'; do
	ch=$(printf "$c")
	add_title "培训${ch}讲座"
	cp=$(printf '%s' "$ch" | iconv -f UTF-8 -t UTF-32BE | od -An -tx1 | tr -d ' \n')
	is_rc 65 "U+$(printf '%04X' "0x$cp") in a title: 65"
	like "$err" "U+$(printf '%04X' "0x$cp")" "the message names it"
done
is "$(count training)" 0 "none of them stored"

add_title "陈埭·科普—讲座…（第1期）"
is_rc 0 "visible punctuation is stored"

printf 'date,category,title,participants\n2025-03-06,worker,%s,4\n' \
	"$(printf '茶叶\342\200\213种植')" >"$T/zwsp.csv"
run k add training --from-csv "$T/zwsp.csv"
is_rc 65 "a zero width space in a CSV row: 65"
like "$err" "zwsp.csv:2: title:" "names the file, line and field"
like "$err" "U+200B" "and the character"

id=$(k list training --csv | sed -n 2p | cut -d, -f1)
run k edit "$id" --set "title=$rlo"
is_rc 65 "an edit to such a title: 65"
like "$err" "U+202E" "names it"
is "$(count training)" 1 "only the visible title is stored"
run k check
is_rc 0 "check after the refusals"

done_testing
