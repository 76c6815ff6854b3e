## tests/tui: the real kepu on a pseudo-terminal, screen read back with pyte.
TUI_TESTS = \
	tests/tui/t_entry.py \
	tests/tui/t_hangup.py \
	tests/tui/t_conflict.py \
	tests/tui/t_terminal.py \
	tests/tui/t_dashboard.py \
	tests/tui/t_help.py \
	tests/tui/t_setup.py \
	tests/tui/t_longtext.py \
	tests/tui/t_screens.py \
	tests/tui/t_editing.py \
	tests/tui/t_forms.py \
	tests/tui/t_years.py \
	tests/tui/t_yearend.py \
	tests/tui/t_evidence.py \
	tests/tui/t_fields.py \
	tests/tui/t_drafts.py \
	tests/tui/t_pick.py \
	tests/tui/t_warnings.py \
	tests/tui/t_usb.py \
	tests/tui/t_window.py \
	tests/tui/t_batch.py \
	tests/tui/t_cli_gb18030.py \
	tests/tui/t_screens80.py
TESTS += $(TUI_TESTS)
EXTRA_DIST += $(TUI_TESTS) tests/tui/tuilib.py bench/tui-bench.py
