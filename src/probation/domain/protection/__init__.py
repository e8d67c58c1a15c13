"""Public protection: risk of serious harm assessments, registers and flags, risk escalation to the
National Probation Service, safeguarding and information sharing, the plan and its reviews, and
what a change of risk means for the offender manager (Manage the Sentence rows 2, 8-19, 22, 23,
29-34). Pure: dates and times come in as arguments."""
