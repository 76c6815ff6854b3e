## Forms, indicators, townships, plan and example quotas: data, not code.
formsdir = $(pkgdatadir)/forms
dist_forms_DATA = \
	forms/formset.csv forms/plans.csv forms/townships.csv forms/choices.csv \
	forms/indicators.csv forms/training.csv forms/activity.csv \
	forms/demo.csv forms/base.csv forms/media.csv forms/team.csv \
	forms/envoy.csv forms/funding.csv forms/quotas-2025-example.csv
