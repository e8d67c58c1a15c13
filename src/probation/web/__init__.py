"""HTML pages in the GOV.UK Design System: translate forms into service calls, never decide."""
