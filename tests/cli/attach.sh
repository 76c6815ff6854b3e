#!/bin/sh
# attach.sh - evidence on a record: kepu attach, detach, attachment list and
# get, show; the same file stored once; types judged by their contents; a
# size limit; links never followed; a refusal changes nothing.
. "$KEPU_SRCDIR/tests/lib.sh"

new_db
run k add training --set date=2025-03-05 --set category=worker \
	--set title=电工培训 --set participants=30
id=$(printf '%s\n' "$out" | tail -n 1)

F=$T/files
mkdir -p "$F"
# Files that look like what they claim: the first bytes of each type.
jpeg() { printf '\377\330\377\340\000\020JFIF\000' >"$1"; head -c "${2:-3000}" /dev/urandom >>"$1"; }
jpeg "$F/签到表.jpg"
printf '%%PDF-1.4\n%%\342\343\317\323\n' >"$F/通知.pdf"; head -c 2000 /dev/urandom >>"$F/通知.pdf"
printf '\211PNG\r\n\032\n' >"$F/photo.PNG"; head -c 500 /dev/urandom >>"$F/photo.PNG"
printf 'PK\003\004\024\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\010\000\000\000mimetypeapplication/vnd.oasis.opendocument.text' >"$F/总结.odt"
printf 'PK\003\004\024\000\006\000\010\000\000\000!\000' >"$F/名单.xlsx"; head -c 300 /dev/urandom >>"$F/名单.xlsx"
printf '\320\317\021\340\241\261\032\341' >"$F/旧表.et"; head -c 300 /dev/urandom >>"$F/旧表.et"

state() { k show "$id"; k log --csv; k check; }
state >"$T/before" 2>&1

# --- refusals change nothing ------------------------------------------------
echo 'just text' >"$F/notes.txt"
run k attach "$id" "$F/notes.txt"
is_rc 65 "a text file is refused"
like "$err" "notes.txt: not a file that can be attached; attach photos (JPG, PNG), PDF or office documents" \
	"and the message says what is taken"
cp "$F/通知.pdf" "$F/fake.jpg"
run k attach "$id" "$F/fake.jpg"
is_rc 65 "a PDF named .jpg is refused"
like "$err" "fake.jpg: the name says JPEG photo, but the contents are a PDF document; rename it" \
	"the contents decide, not the name"
cp "$F/总结.odt" "$F/fake.docx"
run k attach "$id" "$F/fake.docx"
is_rc 65 "an ODF text named .docx is refused"
printf 'MZ\220\000' >"$F/tool.exe"
run k attach "$id" "$F/tool.exe"
is_rc 65 "a program is refused"
printf '\377\330\377\340' >"$F/big.jpg"
truncate -s 21000000 "$F/big.jpg"
run k attach "$id" "$F/签到表.jpg" "$F/big.jpg"
is_rc 65 "a 21 MB photo is refused"
like "$err" "big.jpg is too big (20.0 MB): an attachment may be at most 20.0 MB" \
	"the message gives the size and the limit"
like "$err" "nothing was attached" "and the good file with it is not attached either"
: >"$F/empty.pdf"
run k attach "$id" "$F/empty.pdf"
is_rc 65 "an empty file is refused"
ln -s "$F/签到表.jpg" "$F/link.jpg"
run k attach "$id" "$F/link.jpg"
is_rc 66 "a symbolic link is not followed"
like "$err" "link.jpg is a symbolic link, which is not followed" "and says so"
run k attach "$id" "$F"
is_rc 66 "a folder is refused"
run k attach "$id" "$F/none.jpg"
is_rc 66 "a missing file is refused"
run k attach 01ARZ3NDEKTSV4RRFFQ69G5FAV "$F/签到表.jpg"
is_rc 66 "an unknown record is refused"
cp "$F/签到表.jpg" "$F/.hidden.jpg"
run k attach "$id" "$F/.hidden.jpg"
is_rc 65 "a name beginning with a dot is refused"
state >"$T/after" 2>&1
cmp -s "$T/before" "$T/after"
ok $? "after every refusal the record, its history and the store are as before" ||
	diag "$(diff "$T/before" "$T/after" | head -n 8)"

# --- attaching ----------------------------------------------------------------
run k attach "$id" "$F/签到表.jpg" "$F/通知.pdf"
is_rc 0 "two files are attached"
like "$out" "$id revision 2: 2 attachments" "in one new revision"
like "$err" "attached 签到表.jpg (JPEG photo, " "each is named"
run k check
like "$out" "attachments: 2 files" "two files are stored"
cp "$F/签到表.jpg" "$F/签到表-副本.jpg"
run k attach "$id" "$F/签到表-副本.jpg"
is_rc 0 "the same scan under another name is attached"
like "$err" "a file with the same contents is stored already, not again" "and said to be stored once"
run k check
like "$out" "attachments: 2 files" "still two files stored"
run k attach "$id" "$F/签到表.jpg"
is_rc 65 "a second attachment of the same name is refused"
like "$err" "the record has an attachment named '签到表.jpg' already; detach it first" "with the way out"
run k attach "$id" "$F/photo.PNG" "$F/总结.odt" "$F/名单.xlsx" "$F/旧表.et"
is_rc 0 "PNG (upper-case extension), ODF, OOXML and WPS files are taken"
run k attachment list "$id"
is_rc 0 "attachment list"
is "$(printf '%s\n' "$out" | cut -f1,2)" "签到表.jpg	jpg
通知.pdf	pdf
签到表-副本.jpg	jpg
photo.PNG	png
总结.odt	odt
名单.xlsx	xlsx
旧表.et	et" "lists every attachment in the order attached, with its type"
want=$(sha256sum "$F/签到表.jpg" | cut -d' ' -f1)
like "$out" "$want" "with its SHA-256 (sha256sum's)"
run k show "$id"
like "$out" "attachments      签到表.jpg (JPEG photo, " "show lists the attachments"
like "$out" "通知.pdf (PDF document, " "each with its type and size"

# --- getting one out ----------------------------------------------------------
run k attachment get "$id" 通知.pdf --out "$T/got.pdf"
is_rc 0 "attachment get"
cmp -s "$T/got.pdf" "$F/通知.pdf"
ok $? "gives the same bytes"
run k attachment get "$id" 通知.pdf --out "$T/got.pdf"
is_rc 73 "an existing file is not overwritten"
ln -s "$T/elsewhere" "$T/link-out"
run k attachment get "$id" 通知.pdf --out "$T/link-out"
is_rc 73 "nor is a link followed to write"
[ ! -e "$T/elsewhere" ]
ok $? "nothing was written through the link"
is "$(k attachment get "$id" 签到表.jpg --out - | sha256sum | cut -d' ' -f1)" "$want" \
	"--out - writes the bytes to standard output"
run k attachment get "$id" nothing.jpg --out "$T/x"
is_rc 66 "an attachment the record does not have"
like "$err" "the record has no attachment named 'nothing.jpg'" "is named"

# --- edits keep them; detach --------------------------------------------------
run k edit "$id" --set participants=31
is_rc 0 "an edit"
is "$(k attachment list "$id" | wc -l)" 7 "keeps the attachments"
run k detach "$id" 通知.pdf
is_rc 0 "detach"
like "$out" "revision 6: 6 attachments" "is a new revision"
run k detach "$id" 通知.pdf
is_rc 66 "detaching it again says there is none"
run k check
like "$out" "attachments: 6 files" "detached bytes stay (earlier revisions name them)"
run k attach --rev 2 "$id" "$F/通知.pdf"
is_rc 75 "an attach from an old revision is refused"
like "$err" "it is at revision 6 now" "and names the current one"

# --- a deleted record keeps its list with its tombstone -----------------------
run k delete "$id"
is_rc 0 "delete"
run k attachment list "$id"
is "$(printf '%s\n' "$out" | wc -l)" 6 "the tombstone still names its attachments"
run k attach "$id" "$F/通知.pdf"
is_rc 66 "nothing is attached to a deleted record"

# --- the backup keeps them ------------------------------------------------------
run k backup --out "$T/copy.kepu"
is_rc 0 "backup"
run "$KEPU" --db "$T/copy.kepu" attachment get "$id" 签到表.jpg --out "$T/from-backup.jpg"
is_rc 0 "the backup holds the attachments"
cmp -s "$T/from-backup.jpg" "$F/签到表.jpg"
ok $? "byte for byte"

run k attach --help
like "$out" "at most 20 MB per file" "--help gives the limit"
KEPU_LANG=zh run k attach --help
like "$out" "每个文件最多 20 MB" "in Chinese too"

done_testing
