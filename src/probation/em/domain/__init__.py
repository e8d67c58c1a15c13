"""Pure rules of electronic monitoring of exclusion requirements: the alert workflow and violation
record, court notification checks, visits and the end of monitoring. See docs/EM.md."""
