## tests/cli: the command line, driven by shell scripts speaking TAP
## (tests/lib.sh).
TESTS += tests/cli/basics.sh tests/cli/add.sh tests/cli/csv.sh \
	tests/cli/report.sh tests/cli/concurrency.sh tests/cli/demo.sh \
	tests/cli/messages.sh tests/cli/fields.sh \
	tests/cli/refusals.sh tests/cli/legacy.sh tests/cli/forms.sh tests/cli/plan.sh \
	tests/cli/attach.sh tests/cli/log.sh \
	tests/cli/shipped.sh tests/cli/dictionary.sh tests/cli/xlsx.sh \
	tests/cli/xlsx-office.sh
EXTRA_DIST += tests/cli/basics.sh tests/cli/add.sh tests/cli/csv.sh \
	tests/cli/report.sh tests/cli/concurrency.sh tests/cli/demo.sh \
	tests/cli/messages.sh tests/cli/fields.sh \
	tests/cli/refusals.sh tests/cli/legacy.sh tests/cli/forms.sh tests/cli/plan.sh \
	tests/cli/attach.sh tests/cli/log.sh \
	tests/cli/shipped.sh tests/cli/dictionary.sh tests/cli/xlsx.sh \
	tests/cli/xlsx-office.sh tests/cli/xlsx_check.py \
	tests/cli/data/forms-v2/formset.csv tests/cli/data/forms-v2/plans.csv \
	tests/cli/data/forms-v2/townships.csv tests/cli/data/forms-v2/choices.csv \
	tests/cli/data/forms-v2/indicators.csv tests/cli/data/forms-v2/training.csv \
	tests/cli/data/forms-v2/activity.csv tests/cli/data/forms-v2/demo.csv \
	tests/cli/data/legacy/make-fixture.sh \
	tests/cli/data/legacy/chendai.kepu tests/cli/data/legacy/city.kepu \
	tests/cli/data/legacy/chendai.fingerprint tests/cli/data/legacy/city.fingerprint \
	tests/cli/data/legacy/chendai.report-2025.csv tests/cli/data/legacy/city.report-2025.csv \
	tests/cli/data/legacy/chendai.list-training.csv tests/cli/data/legacy/city.list-training.csv \
	tests/cli/data/legacy/chendai.list-activity.csv tests/cli/data/legacy/city.list-activity.csv \
	tests/cli/data/legacy/chendai.list-demo.csv tests/cli/data/legacy/city.list-demo.csv \
	tests/cli/data/plain.csv tests/cli/data/labels.csv \
	tests/cli/data/unknown-column.csv
## Timing the command line on 100,000 records: sh bench/cli-bench.sh ./kepu
EXTRA_DIST += bench/cli-bench.sh bench/report-bench.sh bench/xlsx-bench.sh

## A damaged database, a full disk, invisible characters in text.
TESTS += tests/cli/damage.sh tests/cli/diskfull.sh tests/cli/invisible.sh
EXTRA_DIST += tests/cli/damage.sh tests/cli/diskfull.sh tests/cli/invisible.sh
## Permissions: a database one may not open, a shared office's setup.
TESTS += tests/cli/perms.sh
EXTRA_DIST += tests/cli/perms.sh
